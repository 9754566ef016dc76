import { asRecord, toNumber } from '../lib/json.js'

/**
 * What an upstream failure means for the account that produced it. Account-level codes (limits,
 * quota, revoked or rejected credentials) decide first; otherwise the HTTP status does: 401 →
 * refresh, 402 → quota, 429 → throttled, 403 → a brief cooldown (a challenge page or a region block
 * in front of the backend says nothing about the account), any other 4xx → the client's own
 * problem (relayed once, no account marked), 5xx, 408 and network failures → transient.
 */
export type FailureKind =
  | 'usage_limit' // the account's plan window is used up until a reset time
  | 'throttled' // short-term rate limit: cool down, the account is fine
  | 'quota' // no quota / credits on this account
  | 'auth_permanent' // refresh token revoked, account suspended or deleted
  | 'unauthorized' // access token rejected: refresh once and retry
  | 'transient' // 5xx, network, stream broke: back off and try another account
  | 'client' // the request itself is bad: no other account would do better

export interface UpstreamFailure {
  kind: FailureKind
  status: number
  code: string
  message: string
  /** Epoch ms when the limit lifts, when the upstream said so. */
  resetAt: number | undefined
  /** Seconds the upstream asked us to wait (Retry-After or "try again in Ns"). */
  retryAfterSeconds: number | undefined
  /** The upstream's error object, kept whole so a passthrough relays what it said. */
  body: Record<string, unknown> | undefined
  /** What went wrong underneath (a socket error): for the server log, never for the client. */
  detail?: string
}

const USAGE_LIMIT = new Set(['usage_limit_reached'])
const THROTTLED = new Set(['rate_limit_exceeded', 'too_many_requests', 'slow_down'])
const QUOTA = new Set(['insufficient_quota', 'usage_not_included', 'quota_exceeded'])
const AUTH_PERMANENT = new Set([
  'refresh_token_expired',
  'refresh_token_reused',
  'refresh_token_invalidated',
  'account_suspended',
  'account_deleted',
  'account_deactivated',
])
const UNAUTHORIZED = new Set(['token_expired', 'invalid_token', 'invalid_api_key', 'unauthorized'])
const TRANSIENT = new Set([
  'server_error',
  'server_is_overloaded',
  'overloaded',
  'service_unavailable',
  'upstream_error',
  'upstream_unavailable',
  'stream_incomplete',
  'stream_idle_timeout',
  'internal_error',
])

/** Codes that say something about the account itself, whatever the HTTP status. */
function accountKind(code: string): FailureKind | undefined {
  if (USAGE_LIMIT.has(code)) return 'usage_limit'
  if (THROTTLED.has(code)) return 'throttled'
  if (QUOTA.has(code)) return 'quota'
  if (AUTH_PERMANENT.has(code)) return 'auth_permanent'
  if (UNAUTHORIZED.has(code)) return 'unauthorized'
  return undefined
}

/** `status` 200 stands for a failure event inside a stream, 0 for no HTTP answer at all. */
export function kindForCode(code: string, status: number): FailureKind {
  const byCode = accountKind(code)
  if (byCode) return byCode
  if (status === 401) return 'unauthorized'
  if (status === 402) return 'quota'
  if (status === 429) return 'throttled'
  // Only an account-level code (above) deactivates: a bare 403 is as often a proxy in the way.
  if (status === 403) return 'transient'
  // 408: the upstream gave up waiting for us, which another account may well not.
  if (status >= 400 && status < 500 && status !== 408) return 'client'
  if (TRANSIENT.has(code)) return 'transient'
  if (status >= 500 || status === 408 || status === 0) return 'transient'
  return 'client'
}

/** Seconds from `retry-after` (seconds or HTTP date) or `retry-after-ms`. */
export function retryAfterSeconds(
  headers: Record<string, string | string[] | undefined>,
  now: number,
): number | undefined {
  const ms = toNumber(headers['retry-after-ms'])
  if (ms !== undefined) return ms / 1000
  const raw = headers['retry-after']
  const value = Array.isArray(raw) ? raw[0] : raw
  if (!value) return undefined
  const secs = toNumber(value)
  if (secs !== undefined) return secs
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000)
}

const TRY_AGAIN = /try again in\s+(\d+(?:\.\d+)?)\s*(ms|s|sec|secs|seconds?)\b/i

/** FastAPI-style `detail`: a string, or a list of `{msg}` validation errors. */
function detailMessage(detail: unknown): string | undefined {
  if (typeof detail === 'string') return detail
  if (!Array.isArray(detail)) return undefined
  const parts = detail.map((d) => asRecord(d)?.['msg']).filter((m) => typeof m === 'string')
  return parts.length ? parts.join('; ') : undefined
}

/**
 * Reads an upstream error object (`{error:{...}}` body, `{detail}`, or the `error` of a failed SSE
 * event) into an UpstreamFailure. `payload` may be the inner object or the whole body.
 */
export function describeFailure(
  status: number,
  payload: unknown,
  headers: Record<string, string | string[] | undefined>,
  now: number,
): UpstreamFailure {
  const root = asRecord(payload)
  const inner = asRecord(root?.['error']) ?? root
  const rawCode = inner?.['code'] ?? inner?.['type'] ?? root?.['code']
  const code = typeof rawCode === 'string' && rawCode ? rawCode.toLowerCase() : fallbackCode(status)
  const rawMessage =
    inner?.['message'] ??
    root?.['message'] ??
    detailMessage(root?.['detail']) ??
    inner?.['error_description']
  const message =
    typeof rawMessage === 'string' && rawMessage
      ? rawMessage
      : `Upstream error: HTTP ${status || 'network failure'}`
  const resetsAt = toNumber(inner?.['resets_at'])
  const resetsIn = toNumber(inner?.['resets_in_seconds'])
  const resetAt =
    resetsAt !== undefined
      ? resetsAt * 1000
      : resetsIn !== undefined
        ? now + resetsIn * 1000
        : undefined
  const tryAgain = TRY_AGAIN.exec(message)
  const hinted = tryAgain
    ? Number(tryAgain[1]) / (tryAgain[2]!.toLowerCase() === 'ms' ? 1000 : 1)
    : undefined
  return {
    kind: kindForCode(code, status),
    status,
    code,
    message,
    resetAt,
    retryAfterSeconds: retryAfterSeconds(headers, now) ?? hinted,
    body: root,
  }
}

/**
 * An upstream HTTP error answer from its raw body text: JSON as it came; anything else (an HTML
 * challenge page, a proxy's plain text) becomes a short message, never the page itself.
 */
export function failureFromBody(
  status: number,
  text: string,
  headers: Record<string, string | string[] | undefined>,
  now: number,
): UpstreamFailure {
  let payload: unknown
  try {
    payload = JSON.parse(text)
  } catch {
    const trimmed = text.trim()
    const message = !trimmed
      ? undefined
      : trimmed.startsWith('<')
        ? `Upstream answered HTTP ${status} with an HTML page instead of an API response`
        : trimmed.slice(0, 500)
    payload = { error: { message } }
  }
  return describeFailure(status, payload, headers, now)
}

/**
 * No HTTP answer (refused, reset, DNS, timeout). The client and the request log get a generic
 * message; the socket error stays in `detail` for the server log.
 */
export function networkFailure(err: unknown, now: number): UpstreamFailure {
  const timeout = (err as { code?: string }).code?.includes('TIMEOUT') ?? false
  const error = timeout
    ? { code: 'upstream_timeout', message: 'The upstream did not answer in time' }
    : { code: 'upstream_unavailable', message: 'The upstream is unavailable' }
  return { ...describeFailure(0, { error }, {}, now), detail: (err as Error).message }
}

function fallbackCode(status: number): string {
  if (status === 0) return 'upstream_unavailable'
  if (status === 429) return 'rate_limit_exceeded'
  if (status === 401) return 'invalid_api_key'
  if (status === 402) return 'payment_required'
  if (status === 403) return 'forbidden'
  if (status >= 400 && status < 500 && status !== 408) return 'invalid_request_error'
  return 'upstream_error'
}
