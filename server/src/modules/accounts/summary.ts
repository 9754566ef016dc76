import type { Account } from './model.js'
import type { LatestUsageRow } from './repository.js'
import type { AccountSummary, ImportAccountResponse } from './schemas.js'

/** ISO-8601 with `Z`, as every dashboard datetime (original-admin §0.1). */
export function isoOrNull(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString()
}

function remaining(row: LatestUsageRow | undefined): number {
  if (!row) return 100
  return Math.min(100, Math.max(0, 100 - row.used_percent))
}

export interface SummaryInputs {
  usage: { primary?: LatestUsageRow; secondary?: LatestUsageRow }
  refreshTokenStored: boolean
  idTokenParsed: boolean
  /** The account's own egress proxy, password masked. */
  egressProxy: string | null
}

export function toAccountSummary(account: Account, inputs: SummaryInputs): AccountSummary {
  const { primary, secondary } = inputs.usage
  return {
    accountId: account.id,
    email: account.email ?? '',
    displayName: account.alias ?? account.email ?? account.chatgptAccountId ?? account.id,
    alias: account.alias,
    workspaceId: account.chatgptAccountId,
    planType: account.planType,
    status: account.status,
    deactivationReason: account.deactivationReason,
    usage: {
      primaryRemainingPercent: remaining(primary),
      secondaryRemainingPercent: remaining(secondary),
    },
    resetAtPrimary: isoOrNull(primary?.reset_at),
    resetAtSecondary: isoOrNull(secondary?.reset_at),
    maxStreams: account.maxStreams,
    headroom: {
      primaryPercent: account.headroomPrimaryPercent,
      secondaryPercent: account.headroomSecondaryPercent,
    },
    routeOrder: account.routeOrder,
    lastRefreshAt: new Date(account.lastRefreshAt).toISOString(),
    auth: {
      access: { expiresAt: isoOrNull(account.accessTokenExpiresAt), state: null },
      refresh: { expiresAt: null, state: inputs.refreshTokenStored ? 'stored' : 'missing' },
      idToken: { expiresAt: null, state: inputs.idTokenParsed ? 'parsed' : 'unknown' },
    },
    egressProxy: inputs.egressProxy,
  }
}

/** Groups latest-usage rows by account id and window. */
export function indexUsage(
  rows: LatestUsageRow[],
): Map<string, { primary?: LatestUsageRow; secondary?: LatestUsageRow }> {
  const out = new Map<string, { primary?: LatestUsageRow; secondary?: LatestUsageRow }>()
  for (const row of rows) {
    const entry = out.get(row.account_id) ?? {}
    entry[row.window] = row
    out.set(row.account_id, entry)
  }
  return out
}

export function toImportResponse(account: Account): ImportAccountResponse {
  return {
    accountId: account.id,
    email: account.email ?? '',
    planType: account.planType,
    status: account.status,
  }
}
