import type { NewAccountRow } from '../../db/index.js'
import { readExpiry } from '../accounts/index.js'
import { FernetError } from './errors.js'
import { emptyPlan, type MapContext, type TablePlan } from './plan.js'
import type { SourceDatabase, SourceRow } from './source.js'
import { enumValue, epochMs, secondsToMs, text } from './values.js'

/** An account as it will be written; its tokens are sealed with our key only when written. */
export type ImportedAccount = Omit<
  NewAccountRow,
  'access_token_enc' | 'refresh_token_enc' | 'id_token_enc'
> & { tokens: { access: string; refresh: string; id: string } }

export const ACCOUNT_COLUMNS = [
  'id',
  'chatgpt_account_id',
  'email',
  'alias',
  'plan_type',
  'access_token_encrypted',
  'refresh_token_encrypted',
  'id_token_encrypted',
  'last_refresh',
  'created_at',
  'status',
  'deactivation_reason',
  'reset_at',
  'blocked_at',
  'delete_requested_at',
] as const

const NOT_CARRIED: Record<string, string> = {
  workspace_label: 'workspace labels',
  seat_type: 'seat types',
  routing_policy: 'per-account routing policies (burn_first, preserve)',
  limit_warmup_enabled: 'limit warm-up settings',
}

const TOKENS = [
  ['access_token_encrypted', 'access token'],
  ['refresh_token_encrypted', 'refresh token'],
  ['id_token_encrypted', 'id token'],
] as const

/** `reauth_required` has no status of its own here: it is a deactivation the user clears by signing in. */
function mapStatus(raw: string | null): NewAccountRow['status'] | null {
  switch (raw) {
    case 'active':
    case 'rate_limited':
    case 'quota_exceeded':
    case 'paused':
    case 'deactivated':
      return raw
    case 'reauth_required':
      return 'deactivated'
    default:
      return null
  }
}

export async function planAccounts(
  source: SourceDatabase,
  ctx: MapContext,
): Promise<TablePlan<ImportedAccount>> {
  const plan = emptyPlan<ImportedAccount>('accounts')
  const present = await source.columns('accounts')
  const rows = await source.rows(
    'accounts',
    ACCOUNT_COLUMNS.filter((c) => present.has(c)),
    'id',
  )
  plan.read = rows.length
  for (const [column, what] of Object.entries(NOT_CARRIED)) {
    if (present.has(column)) plan.notes.push(`${what} are not carried over`)
  }
  for (const row of rows) mapAccount(row, ctx, plan)
  return plan
}

function mapAccount(row: SourceRow, ctx: MapContext, plan: TablePlan<ImportedAccount>): void {
  const id = text(row.id) ?? '?'
  if (row.delete_requested_at !== null && row.delete_requested_at !== undefined) {
    plan.left.push({ id, reason: 'pending deletion in the original (its tokens are wiped)' })
    return
  }
  const rawStatus = enumValue(row.status)
  const status = mapStatus(rawStatus)
  if (!status) {
    plan.bad.push({ id, reason: `unknown status ${JSON.stringify(rawStatus)}` })
    return
  }
  const tokens: string[] = []
  for (const [column, what] of TOKENS) {
    const stored = row[column]
    try {
      tokens.push(ctx.decrypt(stored))
    } catch (err) {
      if (!(err instanceof FernetError)) throw err
      plan.bad.push({ id, reason: `${what} does not decrypt: ${err.message}` })
      return
    }
  }
  const [access, refresh, idToken] = tokens as [string, string, string]
  const lastRefresh = epochMs(row.last_refresh) ?? ctx.now
  const reason = text(row.deactivation_reason)
  const cooling = status === 'rate_limited' || status === 'quota_exceeded'
  plan.rows.push({
    id,
    chatgpt_account_id: text(row.chatgpt_account_id),
    email: text(row.email) ?? 'unknown@example.com',
    alias: text(row.alias),
    plan_type: (enumValue(row.plan_type) ?? 'unknown') || 'unknown',
    tokens: { access, refresh, id: idToken },
    access_token_expires_at: readExpiry(access),
    last_refresh_at: lastRefresh,
    created_at: epochMs(row.created_at) ?? lastRefresh,
    updated_at: ctx.now,
    status,
    deactivation_reason:
      rawStatus === 'reauth_required'
        ? (reason ?? 'sign in again (re-authentication required)')
        : reason,
    reset_at: cooling ? secondsToMs(row.reset_at) : null,
    cooldown_until: null,
    last_error_at: null,
    last_selected_at: null,
    route_order: null,
  })
}
