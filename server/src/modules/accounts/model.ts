import type { AccountRow, AccountStatus, AccountUpdate } from '../../db/index.js'

export type { AccountStatus }

/** An account as the rest of the app sees it: no token material. Times are epoch ms. */
export interface Account {
  id: string
  chatgptAccountId: string | null
  /** Null when the id_token carried no email (then the workspace id identifies the account). */
  email: string | null
  planType: string
  status: AccountStatus
  deactivationReason: string | null
  /** Until when a rate_limited / quota_exceeded status holds. */
  resetAt: number | null
  cooldownUntil: number | null
  errorCount: number
  lastErrorAt: number | null
  lastSelectedAt: number | null
  /** Upstream streams in flight at most; null follows the global setting. */
  maxStreams: number | null
  /** Usage ceilings (percent used) of this account; null follows the global setting. */
  headroomPrimaryPercent: number | null
  headroomSecondaryPercent: number | null
  lastRefreshAt: number
  accessTokenExpiresAt: number | null
  /** Place in the fill_first order (1 first); null: after the ordered ones, oldest first. */
  routeOrder: number | null
  /** Display name set in the dashboard; null shows the email. */
  alias: string | null
  createdAt: number
  updatedAt: number
}

/** What an upstream call needs: the bearer token, the `chatgpt-account-id` and the egress proxy. */
export interface AccountCredential {
  accountId: string
  accessToken: string
  chatgptAccountId: string | null
  /** Decrypted proxy URL (the account's own, else the default); null: a direct connection. */
  egressProxy?: string | null
}

/** Runtime state the proxy and balancer persist (written through, so restarts keep it). */
export interface AccountStatePatch {
  status?: AccountStatus
  deactivationReason?: string | null
  resetAt?: number | null
  cooldownUntil?: number | null
  errorCount?: number
  lastErrorAt?: number | null
  lastSelectedAt?: number | null
}

/** Tokens to store as an account: from an auth.json or straight from an OAuth login. */
export interface TokenSetInput {
  idToken: string
  accessToken: string
  refreshToken: string
  /** The ChatGPT workspace id when the source names it; else the id_token claim is used. */
  accountId?: string | null
  /** When the tokens were issued or last refreshed (epoch ms); defaults to now. */
  lastRefreshAt?: number | null
}

export interface ImportResult {
  account: Account
  /** False when an existing account (same id, or same workspace + email) was updated in place. */
  created: boolean
}

/** Rows store a missing email as '' (the column is NOT NULL and not unique); the domain says null. */
export const NO_EMAIL = ''

export function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    chatgptAccountId: row.chatgpt_account_id,
    email: row.email === NO_EMAIL ? null : row.email,
    planType: row.plan_type,
    status: row.status,
    deactivationReason: row.deactivation_reason,
    resetAt: row.reset_at,
    cooldownUntil: row.cooldown_until,
    errorCount: row.error_count,
    lastErrorAt: row.last_error_at,
    lastSelectedAt: row.last_selected_at,
    maxStreams: row.max_streams ?? null,
    headroomPrimaryPercent: row.headroom_primary_percent ?? null,
    headroomSecondaryPercent: row.headroom_secondary_percent ?? null,
    lastRefreshAt: row.last_refresh_at,
    accessTokenExpiresAt: row.access_token_expires_at,
    routeOrder: row.route_order,
    alias: row.alias ?? null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

/** Ordered by email then id (accounts without email first), the same on SQLite and PostgreSQL. */
export function compareAccounts(a: Account, b: Account): number {
  const ea = a.email ?? ''
  const eb = b.email ?? ''
  if (ea !== eb) return ea < eb ? -1 : 1
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/** The columns a runtime-state patch writes (undefined fields are left alone). */
export function toAccountUpdate(patch: AccountStatePatch): AccountUpdate {
  const update: AccountUpdate = {}
  if (patch.status !== undefined) update.status = patch.status
  if (patch.deactivationReason !== undefined) update.deactivation_reason = patch.deactivationReason
  if (patch.resetAt !== undefined) update.reset_at = patch.resetAt
  if (patch.cooldownUntil !== undefined) update.cooldown_until = patch.cooldownUntil
  if (patch.errorCount !== undefined) update.error_count = patch.errorCount
  if (patch.lastErrorAt !== undefined) update.last_error_at = patch.lastErrorAt
  if (patch.lastSelectedAt !== undefined) update.last_selected_at = patch.lastSelectedAt
  return update
}
