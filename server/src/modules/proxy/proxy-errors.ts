import { AppError } from '../../errors/index.js'
import type { UpstreamFailure } from '../../upstream/failure.js'
import type { Selection } from '../balancer/index.js'

/** The client went away before we answered: nothing to send, only to record. */
export class ClientClosedError extends Error {
  constructor() {
    super('client closed the connection')
    this.name = 'ClientClosedError'
  }
}

/**
 * An upstream failure relayed to the client as the upstream said it: same status, and the error
 * object's extra fields (`plan_type`, `resets_at`…) kept, because clients like the Codex CLI read
 * them to tell the user when to come back.
 */
export function relayedUpstreamError(f: UpstreamFailure): AppError {
  const inner =
    f.body && typeof f.body['error'] === 'object' && f.body['error'] !== null
      ? (f.body['error'] as Record<string, unknown>)
      : {}
  const { message: _m, type, code: _c, param: _p, ...details } = inner
  const status =
    f.status >= 400 ? f.status : f.kind === 'usage_limit' || f.kind === 'throttled' ? 429 : 502
  return new AppError(f.message, {
    status,
    code: f.code,
    ...(typeof type === 'string' ? { type } : {}),
    details,
    ...(f.retryAfterSeconds !== undefined
      ? { headers: { 'retry-after': String(Math.max(1, Math.ceil(f.retryAfterSeconds))) } }
      : {}),
  })
}

/**
 * No account can serve. Every account used up → 429 `usage_limit_reached` with the earliest reset,
 * exactly the upstream's shape, so the Codex CLI shows its usual "try again at …" message; none
 * configured or all paused/deactivated → 503 `no_accounts` saying how to add one.
 */
export function exhaustedError(
  sel: Extract<Selection, { kind: 'exhausted' }>,
  now: number,
  planType: string | undefined,
): AppError {
  const retryIn =
    sel.retryAt === undefined ? undefined : Math.max(1, Math.ceil((sel.retryAt - now) / 1000))
  const headers: Record<string, string> =
    retryIn === undefined ? {} : { 'retry-after': String(retryIn) }
  if (sel.reason === 'limited') {
    return new AppError(sel.message, {
      status: 429,
      code: 'usage_limit_reached',
      type: 'usage_limit_reached',
      headers,
      details: {
        ...(planType ? { plan_type: planType } : {}),
        ...(sel.retryAt !== undefined
          ? { resets_at: Math.ceil(sel.retryAt / 1000), resets_in_seconds: retryIn }
          : {}),
      },
    })
  }
  const message =
    sel.reason === 'cooling_down' && retryIn !== undefined
      ? `${sel.message} Try again in ${retryIn}s.`
      : sel.message
  return new AppError(message, { status: 503, code: 'no_accounts', type: 'server_error', headers })
}
