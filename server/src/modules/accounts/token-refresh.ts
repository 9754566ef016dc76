/*
 * Pure refresh policy: when a token is due, how an auth-server failure is classified, and how long
 * to leave an account's refresh alone after a transient failure.
 */

import { asRecord } from '../../lib/json.js'

export interface RefreshTiming {
  /** JWT `exp` of the stored access token (epoch ms); null when unknown. */
  accessTokenExpiresAt: number | null
  /** When the tokens were last refreshed or imported (epoch ms). */
  lastRefreshAt: number
}

export interface RefreshPolicy {
  /** Refresh this long before the access token expires. */
  marginMs: number
  /** Refresh tokens older than this even if `exp` is unknown or far away (§3.4: 8 days). */
  maxAgeMs: number
}

export type RefreshReason = 'expiring' | 'stale'

/** Why the account's tokens should be refreshed now, or null when they are still good. */
export function needsRefresh(
  account: RefreshTiming,
  now: number,
  policy: RefreshPolicy,
): RefreshReason | null {
  if (
    account.accessTokenExpiresAt !== null &&
    account.accessTokenExpiresAt - now <= policy.marginMs
  )
    return 'expiring'
  if (now - account.lastRefreshAt >= policy.maxAgeMs) return 'stale'
  return null
}

/** Auth-server codes that mean the refresh token will never work again (§2.6, §3.4). */
export const PERMANENT_REFRESH_FAILURES: Readonly<Record<string, string>> = {
  refresh_token_expired: 'Refresh token expired - re-login required',
  refresh_token_reused: 'Refresh token was reused - re-login required',
  refresh_token_invalidated: 'Refresh token was revoked - re-login required',
  account_suspended: 'Account has been suspended',
  account_deleted: 'Account has been deleted',
}

export function permanentReason(code: string): string | undefined {
  return Object.hasOwn(PERMANENT_REFRESH_FAILURES, code)
    ? PERMANENT_REFRESH_FAILURES[code]
    : undefined
}

export interface RefreshErrorInfo {
  code: string | undefined
  message: string | undefined
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

/**
 * Code and message of an auth-server error body (§3.4): `error.code` / `error.error`, a string
 * `error`, or `error_code` / `code`; message from `error.message`, `error_description` or `message`.
 */
export function extractRefreshError(body: unknown): RefreshErrorInfo {
  const b = asRecord(body)
  if (b === undefined) return { code: undefined, message: undefined }
  const err = asRecord(b.error) ?? {}
  const code = str(err.code) ?? str(err.error) ?? str(b.error) ?? str(b.error_code) ?? str(b.code)
  const message = str(err.message) ?? str(b.error_description) ?? str(b.message)
  return { code: code?.toLowerCase(), message }
}

export const REFRESH_BACKOFF = { baseMs: 5_000, maxMs: 5 * 60_000 } as const

/**
 * Delay before the n-th consecutive transient failure may be retried: 5 s doubling to 5 min, with
 * "equal jitter" (half fixed, half random) so that accounts that failed together spread out.
 */
export function refreshBackoffMs(failures: number, random: () => number = Math.random): number {
  const exp = Math.min(
    REFRESH_BACKOFF.maxMs,
    REFRESH_BACKOFF.baseMs * 2 ** Math.max(0, failures - 1),
  )
  return Math.round(exp / 2 + (exp / 2) * random())
}
