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

/** Whole seconds from now until `at`, at least 1. */
function secondsUntil(at: number, now: number): number {
  return Math.max(1, Math.ceil((at - now) / 1000))
}

/**
 * An upstream failure relayed to the client as the upstream said it: same status, and the error
 * object's extra fields (`plan_type`, `resets_at`…) kept, because clients like the Codex CLI read
 * them to tell the user when to come back. A used-up limit always carries `resets_at`,
 * `resets_in_seconds` and `plan_type` (filled from what we know when the upstream left them out),
 * and `Retry-After` whenever the wait is known: the OpenAI SDKs otherwise retry at once.
 */
export function relayedUpstreamError(f: UpstreamFailure, now: number, planType?: string): AppError {
  const inner =
    f.body && typeof f.body['error'] === 'object' && f.body['error'] !== null
      ? (f.body['error'] as Record<string, unknown>)
      : {}
  const { message: _m, type, code: _c, param: _p, ...details } = inner
  const status =
    f.status >= 400 ? f.status : f.kind === 'usage_limit' || f.kind === 'throttled' ? 429 : 502
  if ((f.kind === 'usage_limit' || f.kind === 'quota') && f.resetAt !== undefined) {
    details['resets_at'] ??= Math.ceil(f.resetAt / 1000)
    details['resets_in_seconds'] ??= secondsUntil(f.resetAt, now)
  }
  if (f.kind === 'usage_limit' || f.kind === 'quota') details['plan_type'] ??= planType
  if (details['plan_type'] === undefined) delete details['plan_type']
  const wait =
    f.retryAfterSeconds !== undefined
      ? Math.max(1, Math.ceil(f.retryAfterSeconds))
      : f.resetAt !== undefined && status === 429
        ? secondsUntil(f.resetAt, now)
        : undefined
  return new AppError(f.message, {
    status,
    code: f.code,
    ...(typeof type === 'string' ? { type } : {}),
    details,
    ...(wait !== undefined ? { headers: { 'retry-after': String(wait) } } : {}),
  })
}

/**
 * No account can serve. Every account used up → 429 `usage_limit_reached` with the earliest reset,
 * exactly the upstream's shape, so the Codex CLI shows its usual "try again at …" message; every
 * usable account cooling down after errors → 503 `accounts_cooling_down` with the soonest end as
 * Retry-After; none configured or all paused/deactivated → 503 `no_accounts` saying how to add one.
 */
export function exhaustedError(
  sel: Extract<Selection, { kind: 'exhausted' }>,
  now: number,
  planType: string | undefined,
): AppError {
  const retryIn = sel.retryAt === undefined ? undefined : secondsUntil(sel.retryAt, now)
  const headers: Record<string, string> =
    retryIn === undefined ? {} : { 'retry-after': String(retryIn) }
  if (sel.reason === 'limited') {
    const plan = planType ?? sel.planType
    return new AppError(sel.message, {
      status: 429,
      code: 'usage_limit_reached',
      type: 'usage_limit_reached',
      headers,
      details: {
        ...(plan ? { plan_type: plan } : {}),
        ...(sel.retryAt !== undefined
          ? { resets_at: Math.ceil(sel.retryAt / 1000), resets_in_seconds: retryIn }
          : {}),
      },
    })
  }
  if (sel.reason === 'cooling_down') {
    const message = retryIn === undefined ? sel.message : `${sel.message} Try again in ${retryIn}s.`
    return new AppError(message, {
      status: 503,
      code: 'accounts_cooling_down',
      type: 'server_error',
      headers,
    })
  }
  if (sel.reason === 'at_capacity') {
    // Busy, not broken: a short wait helps, so 429 with a near Retry-After.
    return new AppError(sel.message, {
      status: 429,
      code: 'accounts_at_capacity',
      type: 'rate_limit_error',
      headers: { 'retry-after': String(retryIn ?? 1) },
    })
  }
  return new AppError(sel.message, { status: 503, code: 'no_accounts', type: 'server_error' })
}
