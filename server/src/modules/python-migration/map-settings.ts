import type { DashboardSettingsTable } from '../../db/index.js'
import type { Updateable } from 'kysely'
import { isRoutingStrategy } from '../balancer/index.js'
import { FernetError } from './errors.js'
import { emptyPlan, type MapContext, type TablePlan } from './plan.js'
import type { SourceDatabase } from './source.js'
import { flag, int, text } from './values.js'

/** The settings as they will be written; the TOTP secret is sealed with our key only then. */
export type ImportedSettings = Omit<Updateable<DashboardSettingsTable>, 'totp_secret_enc'> & {
  totpSecret: string | null
}

const COLUMNS = [
  'id',
  'password_hash',
  'totp_secret_encrypted',
  'totp_last_verified_step',
  'totp_required_on_login',
  'api_key_auth_enabled',
  'sticky_threads_enabled',
  'prefer_earlier_reset_accounts',
  'routing_strategy',
] as const

/** The original's single settings row (id 1): dashboard password, TOTP and the switches we share. */
export async function planSettings(
  source: SourceDatabase,
  ctx: MapContext,
): Promise<TablePlan<ImportedSettings>> {
  const plan = emptyPlan<ImportedSettings>('dashboard_settings')
  if (!(await source.tables()).has('dashboard_settings')) return plan
  const present = await source.columns('dashboard_settings')
  const rows = await source.rows(
    'dashboard_settings',
    COLUMNS.filter((c) => present.has(c)),
    'id',
  )
  plan.read = rows.length
  const row = rows.find((r) => Number(r.id) === 1) ?? rows[0]
  if (!row) return plan
  if (present.has('guest_access_enabled')) plan.notes.push('guest access is not carried over')
  let totp: string | null = null
  if (row.totp_secret_encrypted !== null && row.totp_secret_encrypted !== undefined) {
    try {
      totp = ctx.decrypt(row.totp_secret_encrypted)
    } catch (err) {
      if (!(err instanceof FernetError)) throw err
      plan.bad.push({ id: '1', reason: `TOTP secret does not decrypt: ${err.message}` })
      return plan
    }
  }
  const passwordHash = text(row.password_hash)
  if (passwordHash !== null && !/^\$2[aby]\$\d\d\$.{53}$/.test(passwordHash)) {
    plan.bad.push({ id: '1', reason: 'dashboard password hash is not a bcrypt hash' })
    return plan
  }
  const strategy = text(row.routing_strategy)
  if (strategy !== null && !isRoutingStrategy(strategy)) {
    plan.notes.push(`routing strategy ${strategy} has no counterpart here: the default applies`)
  }
  plan.rows.push({
    password_hash: passwordHash,
    totpSecret: totp,
    totp_last_verified_step: int(row.totp_last_verified_step),
    totp_required_on_login: totp === null ? 0 : flag(row.totp_required_on_login),
    api_key_auth_enabled: flag(row.api_key_auth_enabled),
    sticky_threads_enabled: flag(row.sticky_threads_enabled),
    prefer_earlier_reset_accounts: flag(row.prefer_earlier_reset_accounts),
    routing_strategy: strategy !== null && isRoutingStrategy(strategy) ? strategy : null,
    updated_at: ctx.now,
  })
  return plan
}
