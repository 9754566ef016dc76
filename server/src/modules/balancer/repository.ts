import { sql, type Kysely } from 'kysely'
import type { AccountUpdate, Database } from '../../db/schema.js'
import { toAccountUpdate } from '../accounts/index.js'
import type { AccountState } from './account-state.js'
import type { StatePatch } from './failure-marks.js'

interface LatestUsage {
  account_id: string
  window: 'primary' | 'secondary'
  used_percent: number
  reset_at: number | null
}

/** Reads the balancer's view of every account and writes its runtime state back. */
export class BalancerRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async loadStates(): Promise<AccountState[]> {
    const [accounts, usage] = await Promise.all([
      this.db
        .selectFrom('accounts')
        .select([
          'id',
          'status',
          'plan_type',
          'reset_at',
          'cooldown_until',
          'error_count',
          'last_error_at',
          'last_selected_at',
          'max_streams',
          'headroom_primary_percent',
          'headroom_secondary_percent',
          'route_order',
          'created_at',
        ])
        .execute(),
      this.latestUsage(),
    ])
    const byAccount = new Map<string, { primary?: LatestUsage; secondary?: LatestUsage }>()
    for (const u of usage) {
      const entry = byAccount.get(u.account_id) ?? {}
      entry[u.window] = u
      byAccount.set(u.account_id, entry)
    }
    return accounts.map((a) => {
      const u = byAccount.get(a.id)
      return {
        id: a.id,
        status: a.status,
        planType: a.plan_type,
        resetAt: a.reset_at,
        cooldownUntil: a.cooldown_until,
        errorCount: a.error_count,
        lastErrorAt: a.last_error_at,
        lastSelectedAt: a.last_selected_at,
        headroomPrimaryPercent: a.headroom_primary_percent ?? null,
        headroomSecondaryPercent: a.headroom_secondary_percent ?? null,
        primaryUsedPercent: u?.primary?.used_percent ?? null,
        primaryResetAt: u?.primary?.reset_at ?? null,
        secondaryUsedPercent: u?.secondary?.used_percent ?? null,
        secondaryResetAt: u?.secondary?.reset_at ?? null,
        maxStreams: a.max_streams ?? null,
        routeOrder: a.route_order,
        createdAt: a.created_at,
      }
    })
  }

  /** The newest usage row per account and window (uses idx_usage_account_window_time). */
  private async latestUsage(): Promise<LatestUsage[]> {
    const rows = await sql<LatestUsage>`
      select u.account_id, u."window", u.used_percent, u.reset_at
      from usage_history u
      join (
        select account_id, "window", max(recorded_at) as recorded_at
        from usage_history group by account_id, "window"
      ) latest
        on latest.account_id = u.account_id and latest."window" = u."window"
       and latest.recorded_at = u.recorded_at`.execute(this.db)
    return rows.rows
  }

  async writeState(id: string, patch: StatePatch & { lastSelectedAt?: number }, now: number) {
    const update: AccountUpdate = { ...toAccountUpdate(patch), updated_at: now }
    await this.db.updateTable('accounts').set(update).where('id', '=', id).execute()
  }

  async getPin(key: string): Promise<{ accountId: string; updatedAt: number } | undefined> {
    const row = await this.db
      .selectFrom('sticky_sessions')
      .select(['account_id', 'updated_at'])
      .where('key', '=', key)
      .executeTakeFirst()
    return row && { accountId: row.account_id, updatedAt: row.updated_at }
  }

  async upsertPin(key: string, accountId: string, now: number): Promise<void> {
    await this.db
      .insertInto('sticky_sessions')
      .values({ key, account_id: accountId, created_at: now, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ account_id: accountId, updated_at: now }))
      .execute()
  }

  async deletePinsOlderThan(cutoff: number): Promise<number> {
    const r = await this.db
      .deleteFrom('sticky_sessions')
      .where('updated_at', '<', cutoff)
      .executeTakeFirst()
    return Number(r.numDeletedRows)
  }
}
