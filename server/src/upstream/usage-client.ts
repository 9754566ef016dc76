import type { UpstreamClient } from './client.js'
import { upstreamHeaders, type UpstreamCredential } from './headers.js'

export interface UsageFetchResult {
  /** HTTP status; 0 for network failure or timeout. */
  status: number
  body: unknown
}

const RETRY_STATUSES = new Set([0, 408, 429, 500, 502, 503, 504])

/** `/wham/usage` lives under `/backend-api` even when the base URL was given without it. */
export function usageUrl(baseUrl: string): string {
  const base = baseUrl.includes('/backend-api') ? baseUrl : `${baseUrl}/backend-api`
  return `${base}/wham/usage`
}

/**
 * GET the account's usage windows, retrying transient failures (0.5 s doubling, at most 2 s apart).
 */
export async function fetchUsage(
  client: UpstreamClient,
  baseUrl: string,
  credential: UpstreamCredential,
  options: { timeoutMs: number; maxRetries: number; requestId: string },
): Promise<UsageFetchResult> {
  let result: UsageFetchResult = { status: 0, body: null }
  for (let attempt = 0; attempt <= options.maxRetries; attempt++) {
    if (attempt > 0)
      await new Promise((r) => setTimeout(r, Math.min(2000, 500 * 2 ** (attempt - 1))))
    try {
      const res = await client.send({
        method: 'GET',
        url: usageUrl(baseUrl),
        headers: upstreamHeaders({}, credential, options.requestId, 'application/json'),
        signal: AbortSignal.timeout(options.timeoutMs),
        headersTimeoutMs: options.timeoutMs,
        bodyTimeoutMs: options.timeoutMs,
        egressProxy: credential.egressProxy,
      })
      const text = await res.body.text()
      let body: unknown = text
      try {
        body = JSON.parse(text)
      } catch {
        // keep the text: it becomes the error message
      }
      result = { status: res.status, body }
    } catch (err) {
      result = { status: 0, body: { error: { message: (err as Error).message } } }
    }
    if (!RETRY_STATUSES.has(result.status)) return result
  }
  return result
}
