import type { UpstreamFailure } from '../../upstream/failure.js'
import type { AccountState } from './account-state.js'

export interface StatePatch {
  status?: AccountState['status']
  deactivationReason?: string | null
  resetAt?: number | null
  cooldownUntil?: number | null
  errorCount?: number
  lastErrorAt?: number | null
}

const FALLBACK_LIMIT_MS = 5 * 60_000
const FALLBACK_QUOTA_MS = 60 * 60_000
const MAX_COOLDOWN_MS = 60_000

const PERMANENT_REASONS: Record<string, string> = {
  refresh_token_expired: 'Refresh token expired - re-login required',
  refresh_token_reused: 'Refresh token was reused - re-login required',
  refresh_token_invalidated: 'Refresh token was revoked - re-login required',
  account_suspended: 'Account has been suspended',
  account_deleted: 'Account has been deleted',
  account_deactivated: 'Account has been deactivated',
}

/** Exponential cooldown for transient trouble: 1 s, 2 s, 4 s… capped at a minute, ±10 % jitter. */
export function transientCooldownMs(
  errorCount: number,
  random: () => number = Math.random,
): number {
  const base = Math.min(MAX_COOLDOWN_MS, 1000 * 2 ** Math.max(0, errorCount - 1))
  return Math.round(base * (0.9 + 0.2 * random()))
}

/**
 * How an upstream failure changes the account that produced it. Client errors change nothing: the
 * request was at fault, not the account.
 */
export function markFailure(
  account: AccountState,
  failure: UpstreamFailure,
  now: number,
  random: () => number = Math.random,
): StatePatch {
  const errorCount = account.errorCount + 1
  const hinted =
    failure.retryAfterSeconds !== undefined ? now + failure.retryAfterSeconds * 1000 : undefined
  switch (failure.kind) {
    case 'usage_limit':
      return {
        status: 'rate_limited',
        resetAt: failure.resetAt ?? hinted ?? account.primaryResetAt ?? now + FALLBACK_LIMIT_MS,
        errorCount,
        lastErrorAt: now,
      }
    case 'quota':
      return {
        status: 'quota_exceeded',
        resetAt: failure.resetAt ?? account.secondaryResetAt ?? now + FALLBACK_QUOTA_MS,
        errorCount,
        lastErrorAt: now,
      }
    case 'throttled':
      return {
        cooldownUntil: failure.resetAt ?? hinted ?? now + transientCooldownMs(errorCount, random),
        errorCount,
        lastErrorAt: now,
      }
    case 'auth_permanent':
      return {
        status: 'deactivated',
        deactivationReason:
          PERMANENT_REASONS[failure.code] ?? `Authentication failed: ${failure.code}`,
      }
    case 'transient':
    case 'unauthorized':
      return {
        cooldownUntil: now + transientCooldownMs(errorCount, random),
        errorCount,
        lastErrorAt: now,
      }
    case 'client':
      return {}
  }
}

/** After a success the error streak is over. Returns null when nothing needs writing. */
export function markSuccess(account: AccountState): StatePatch | null {
  if (account.errorCount === 0 && account.cooldownUntil === null && account.lastErrorAt === null) {
    return null
  }
  return { errorCount: 0, cooldownUntil: null, lastErrorAt: null }
}
