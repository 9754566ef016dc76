import { effectiveStatus, unusableReason, type AccountState } from './account-state.js'

/**
 * Why one account cannot take this request. The account's own state gives `paused`, `deactivated`,
 * `limited` and `cooling_down`; gates the caller passes give the request-specific ones (a usage
 * ceiling, a concurrency cap, an API key's account list, a model the plan cannot use).
 */
export type ExclusionReason =
  | 'paused'
  | 'deactivated'
  | 'limited'
  | 'cooling_down'
  | 'headroom'
  | 'at_capacity'
  | 'not_allowed'
  | 'model_unavailable'

export interface Exclusion {
  reason: ExclusionReason
  /** When it lifts by itself (epoch ms), when known: a reset, a cooldown's end. */
  until?: number | null
}

/** A request-specific check; null lets the account through. Pure and cheap: it runs per pick. */
export type AccountGate = (account: AccountState, now: number) => Exclusion | null

/** The first reason this account is out for this request, or null when it may take it. */
export function exclusionOf(
  a: AccountState,
  now: number,
  gates: readonly AccountGate[] = [],
): Exclusion | null {
  const own = unusableReason(a, now)
  if (own === 'limited') return { reason: 'limited', until: effectiveStatus(a, now).resetAt }
  if (own === 'cooling_down') return { reason: 'cooling_down', until: a.cooldownUntil }
  if (own) return { reason: own }
  for (const gate of gates) {
    const out = gate(a, now)
    if (out) return out
  }
  return null
}

const PHRASES: Record<ExclusionReason, [one: string, many: string]> = {
  limited: ['account is rate limited', 'accounts are rate limited'],
  cooling_down: ['account is cooling down after errors', 'accounts are cooling down after errors'],
  headroom: ['account is above its usage ceiling', 'accounts are above their usage ceiling'],
  at_capacity: ['account is at its concurrency cap', 'accounts are at their concurrency cap'],
  not_allowed: [
    'account is not allowed for this API key',
    'accounts are not allowed for this API key',
  ],
  model_unavailable: [
    "account's plan cannot use this model",
    "accounts' plans cannot use this model",
  ],
  paused: ['account is paused', 'accounts are paused'],
  deactivated: ['account needs to sign in again', 'accounts need to sign in again'],
}
const ORDER = Object.keys(PHRASES) as ExclusionReason[]

function clock(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 16)} UTC`
}

/**
 * One sentence per reason, most useful first: "2 accounts are rate limited until 14:05 UTC,
 * 1 account is paused." Accounts already tried for this request are counted with their reason too.
 */
export function explainExclusions(list: readonly Exclusion[], now: number): string {
  const parts: string[] = []
  for (const reason of ORDER) {
    const hits = list.filter((e) => e.reason === reason)
    if (hits.length === 0) continue
    const [one, many] = PHRASES[reason]
    const untils = hits
      .map((e) => e.until ?? null)
      .filter((u): u is number => u !== null && u > now)
    const soonest = untils.length ? Math.min(...untils) : undefined
    const when = soonest === undefined ? '' : ` until ${clock(soonest)}`
    parts.push(`${hits.length} ${hits.length === 1 ? one : many}${when}`)
  }
  return parts.join(', ')
}
