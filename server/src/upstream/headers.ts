import type { IncomingHttpHeaders } from 'node:http'

/**
 * Header hygiene in one place. Inbound headers are forwarded (Codex CLI's `originator`, `session_id`,
 * `x-codex-*`, `openai-beta`… matter upstream) except: credentials of the client, hop-by-hop headers,
 * proxy/CDN provenance, and encodings we decide ourselves.
 */
const DROP_EXACT = new Set([
  'authorization',
  'chatgpt-account-id',
  'cookie',
  'host',
  'content-length',
  'content-encoding',
  'accept-encoding',
  'accept',
  'content-type',
  'connection',
  'keep-alive',
  'proxy-authorization',
  'proxy-authenticate',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
  'forwarded',
  'x-real-ip',
  'true-client-ip',
  'x-request-id',
  'request-id',
])
const DROP_PREFIXES = ['x-forwarded-', 'cf-', 'sec-', 'x-stainless-']

export interface UpstreamCredential {
  accessToken: string
  /** The raw ChatGPT workspace id; omitted upstream for synthetic (`email_`/`local_`) ids. */
  chatgptAccountId: string | null
  /** The proxy this account's upstream calls go through (its own, else the default); null: direct. */
  egressProxy?: string | null
}

export function upstreamHeaders(
  inbound: IncomingHttpHeaders,
  credential: UpstreamCredential,
  requestId: string,
  accept: 'text/event-stream' | 'application/json',
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(inbound)) {
    if (value === undefined) continue
    const lower = name.toLowerCase()
    if (DROP_EXACT.has(lower) || DROP_PREFIXES.some((p) => lower.startsWith(p))) continue
    out[lower] = Array.isArray(value) ? value.join(', ') : value
  }
  out['authorization'] = `Bearer ${credential.accessToken}`
  out['accept'] = accept
  out['content-type'] = 'application/json'
  // Identity keeps bytes on the wire as the client will receive them: no re-encoding on the relay.
  out['accept-encoding'] = 'identity'
  out['x-request-id'] = requestId
  const account = credential.chatgptAccountId
  if (account && !account.startsWith('email_') && !account.startsWith('local_')) {
    out['chatgpt-account-id'] = account
  }
  return out
}
