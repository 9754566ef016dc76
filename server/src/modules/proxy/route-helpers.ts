import type { IncomingHttpHeaders } from 'node:http'
import type { AppError } from '../../errors/index.js'
import { describeFailure, type UpstreamFailure } from '../../upstream/failure.js'
import type { OverflowRoute } from './overflow-route.js'
import type { RoutingSettings, StreamCall } from './proxy-types.js'

// Small pure pieces of ProxyService's routing loop.

export function sessionHeader(h: IncomingHttpHeaders): string | undefined {
  const v = h['session_id'] ?? h['session-id'] ?? h['conversation_id']
  const s = Array.isArray(v) ? v[0] : v
  return s?.trim() || undefined
}

export function refreshFailure(err: unknown, now: number): UpstreamFailure {
  const e = err as { permanent?: boolean; code?: string; message?: string }
  const code = e.permanent ? (e.code ?? 'refresh_token_invalidated') : 'token_refresh_failed'
  const failure = describeFailure(
    e.permanent ? 401 : 503,
    { error: { code, message: e.message } },
    {},
    now,
  )
  return e.permanent ? { ...failure, kind: 'auth_permanent' } : { ...failure, kind: 'transient' }
}

/** The pool's error, saying what overflow did when it was tried. */
export function explained(overflow: OverflowRoute<unknown> | undefined, err: AppError): AppError {
  return overflow ? overflow.explain(err) : err
}

export function headroomOf(s: Awaited<ReturnType<RoutingSettings['get']>>) {
  return { primaryPercent: s.headroomPrimaryPercent, secondaryPercent: s.headroomSecondaryPercent }
}

export function planTypeOf(f: UpstreamFailure | undefined): string | undefined {
  const inner = f?.body?.['error']
  const plan =
    inner && typeof inner === 'object' ? (inner as Record<string, unknown>)['plan_type'] : undefined
  return typeof plan === 'string' ? plan : undefined
}

/**
 * The serialized body per account: a rebuilt follow-up goes to its owning account as is, to any
 * other without the items only the owner can read. Each form is serialized once, when first needed.
 */
export function bodiesFor(call: StreamCall): (accountId: string) => string {
  let body: string | undefined
  let portable: string | undefined
  const c = call.continuation
  return (accountId) =>
    !c || accountId === c.accountId
      ? (body ??= JSON.stringify(call.request.body))
      : (portable ??= JSON.stringify(c.portableBody))
}
