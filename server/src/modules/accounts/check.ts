import type { TokenRefreshError } from './errors.js'
import type { Account } from './model.js'
import type { LatestUsageRow } from './repository.js'
import type { AccountCheckResponse, AccountRefreshResponse } from './schemas.js'
import { isoOrNull } from './summary.js'

/**
 * What one usage fetch for an account came to. The usage module produces it (it owns the fetch);
 * the failure's code and message are the upstream's words, never a token.
 */
export type UsageCheckOutcome = { ok: true } | { ok: false; code: string; message: string }

/** Fetches one account's usage now and stores it (wired to the usage service). */
export type UsageChecker = (account: Account) => Promise<UsageCheckOutcome>

/** The check-now answer: the account as it stands after the fetch, with its newest windows. */
export function toCheckResponse(
  account: Account,
  usage: LatestUsageRow[],
  outcome: UsageCheckOutcome,
  checkedAt: number,
): AccountCheckResponse {
  const primary = usage.find((row) => row.window === 'primary')
  const secondary = usage.find((row) => row.window === 'secondary')
  return {
    accountId: account.id,
    ok: outcome.ok,
    usage: {
      primaryUsedPercent: primary?.used_percent ?? null,
      primaryResetAt: isoOrNull(primary?.reset_at),
      secondaryUsedPercent: secondary?.used_percent ?? null,
      secondaryResetAt: isoOrNull(secondary?.reset_at),
    },
    status: account.status,
    tokenExpiresAt: isoOrNull(account.accessTokenExpiresAt),
    checkedAt: new Date(checkedAt).toISOString(),
    ...(outcome.ok ? {} : { error: { code: outcome.code, message: outcome.message } }),
  }
}

/** The refresh-now answer; a TokenRefreshError becomes its `error` (permanent: now deactivated). */
export function toRefreshResponse(
  account: Account,
  error?: TokenRefreshError,
): AccountRefreshResponse {
  return {
    accountId: account.id,
    refreshed: error === undefined,
    status: account.status,
    tokenExpiresAt: isoOrNull(account.accessTokenExpiresAt),
    ...(error
      ? { error: { code: error.code, message: error.message, permanent: error.permanent } }
      : {}),
  }
}
