import { ValidationError } from '../../errors/index.js'
import type { UpstreamClient } from '../../upstream/client.js'

const PROBE_TIMEOUT_MS = 5_000

/**
 * Checks a new or changed overflow upstream before it is saved: `GET {base}/models` with its key.
 * No answer → 422 naming `baseUrl`; 401 → 422 naming `apiKey`. Any other answer passes (a key may
 * lack the models permission and still serve responses). The key never appears in the message.
 */
export async function probeOverflowUpstream(
  client: UpstreamClient,
  baseUrl: string,
  apiKey: string,
): Promise<void> {
  let status: number
  try {
    const res = await client.send({
      method: 'GET',
      url: `${baseUrl}/models`,
      headers: { authorization: `Bearer ${apiKey}`, accept: 'application/json' },
      headersTimeoutMs: PROBE_TIMEOUT_MS,
      bodyTimeoutMs: PROBE_TIMEOUT_MS,
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    })
    status = res.status
    await res.body.text().catch(() => undefined)
  } catch {
    throw new ValidationError(
      `Invalid request payload: baseUrl: ${baseUrl} cannot be reached`,
      'baseUrl',
      422,
    )
  }
  if (status === 401) {
    throw new ValidationError(
      'Invalid request payload: apiKey: the upstream rejected this API key',
      'apiKey',
      422,
    )
  }
}
