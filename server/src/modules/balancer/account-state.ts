import type { AccountStatus } from '../../db/schema.js'

/** What the balancer knows about one account: stored status, runtime state and latest usage. */
export interface AccountState {
  id: string
  status: AccountStatus
  planType: string
  /** Until when rate_limited / quota_exceeded holds (epoch ms); null when unknown. */
  resetAt: number | null
  cooldownUntil: number | null
  errorCount: number
  lastErrorAt: number | null
  lastSelectedAt: number | null
  /** This account's usage ceilings (percent used); null or absent follows the global setting. */
  headroomPrimaryPercent?: number | null
  headroomSecondaryPercent?: number | null
  primaryUsedPercent: number | null
  primaryResetAt: number | null
  secondaryUsedPercent: number | null
  secondaryResetAt: number | null
  /** Upstream streams this account may have in flight; null or absent follows the global cap. */
  maxStreams?: number | null
  /**
   * Place in the user's order (fill_first, round_robin); null: after the ordered ones, oldest
   * (createdAt) first. Optional so status-only callers (usage) need not know them.
   */
  routeOrder?: number | null
  createdAt?: number
}

export interface EffectiveStatus {
  status: AccountStatus
  resetAt: number | null
}

/**
 * Status as usage data and the clock say it is now. A used-up secondary (weekly) window beats a
 * used-up primary (5 h) one; a limit whose reset time has passed lifts by itself. Paused and
 * deactivated are the user's or the auth server's word and never change here.
 */
export function effectiveStatus(a: AccountState, now: number): EffectiveStatus {
  if (a.status === 'paused' || a.status === 'deactivated') {
    return { status: a.status, resetAt: a.resetAt }
  }
  if (a.secondaryUsedPercent !== null && a.secondaryUsedPercent >= 100) {
    const resetAt = a.secondaryResetAt ?? a.resetAt
    if (resetAt === null || resetAt > now) return { status: 'quota_exceeded', resetAt }
  }
  if (a.primaryUsedPercent !== null && a.primaryUsedPercent >= 100) {
    const resetAt = a.primaryResetAt ?? a.resetAt
    if (resetAt === null || resetAt > now) return { status: 'rate_limited', resetAt }
  }
  if (a.status === 'rate_limited' || a.status === 'quota_exceeded') {
    if (a.resetAt !== null && a.resetAt > now) return { status: a.status, resetAt: a.resetAt }
    return { status: 'active', resetAt: null }
  }
  return { status: 'active', resetAt: null }
}

export type Unusable = 'paused' | 'deactivated' | 'limited' | 'cooling_down'

/** Why an account cannot take a request now, or null when it can. */
export function unusableReason(a: AccountState, now: number): Unusable | null {
  const eff = effectiveStatus(a, now)
  if (eff.status === 'paused') return 'paused'
  if (eff.status === 'deactivated') return 'deactivated'
  if (eff.status === 'rate_limited' || eff.status === 'quota_exceeded') return 'limited'
  // One schedule for transient trouble: the cooldown grows with the error streak (failure-marks).
  if (a.cooldownUntil !== null && a.cooldownUntil > now) return 'cooling_down'
  return null
}
