import { sql, type Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'
import type { OverflowMode } from './service.js'

const ROW_ID = 1

/** The settings row as the app sees it; secrets are reduced to "is one stored" flags in SQL. */
export interface SettingsRecord {
  stickyThreadsEnabled: boolean
  preferEarlierResetAccounts: boolean
  totpRequiredOnLogin: boolean
  apiKeyAuthEnabled: boolean
  headroomPrimaryPercent: number | null
  headroomSecondaryPercent: number | null
  /** The stored name; null means the environment default. */
  routingStrategy: string | null
  stickyTtlSeconds: number | null
  accountMaxStreams: number | null
  accountQueueWaitSeconds: number | null
  overflowMode: OverflowMode | null
  passwordConfigured: boolean
  totpConfigured: boolean
  sessionEpoch: number
}

export interface SettingsPatch {
  stickyThreadsEnabled?: boolean
  preferEarlierResetAccounts?: boolean
  totpRequiredOnLogin?: boolean
  apiKeyAuthEnabled?: boolean
  headroomPrimaryPercent?: number | null
  headroomSecondaryPercent?: number | null
  routingStrategy?: string | null
  stickyTtlSeconds?: number | null
  accountMaxStreams?: number | null
  accountQueueWaitSeconds?: number | null
  overflowMode?: OverflowMode | null
}

const flag = (value: boolean): 0 | 1 => (value ? 1 : 0)

export class SettingsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async load(now: number): Promise<SettingsRecord> {
    const row = await this.select()
    if (row) return row
    // The migration seeds row 1; recreating it keeps a hand-emptied table from breaking every request.
    await this.db
      .insertInto('dashboard_settings')
      .values({
        id: ROW_ID,
        sticky_threads_enabled: 1,
        prefer_earlier_reset_accounts: 0,
        totp_required_on_login: 0,
        api_key_auth_enabled: 0,
        sticky_ttl_seconds: null,
        password_hash: null,
        totp_secret_enc: null,
        totp_last_verified_step: null,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute()
    const created = await this.select()
    if (!created) throw new Error('dashboard_settings row 1 is missing and cannot be created')
    return created
  }

  /**
   * Applies the patch; with `requireTotpSecret` the write happens only while a TOTP secret is stored,
   * so enabling enforcement cannot race a concurrent TOTP disable. Returns whether a row was written.
   */
  async update(patch: SettingsPatch, now: number, requireTotpSecret: boolean): Promise<boolean> {
    let query = this.db
      .updateTable('dashboard_settings')
      .set({
        updated_at: now,
        ...(patch.stickyThreadsEnabled === undefined
          ? {}
          : { sticky_threads_enabled: flag(patch.stickyThreadsEnabled) }),
        ...(patch.preferEarlierResetAccounts === undefined
          ? {}
          : { prefer_earlier_reset_accounts: flag(patch.preferEarlierResetAccounts) }),
        ...(patch.totpRequiredOnLogin === undefined
          ? {}
          : { totp_required_on_login: flag(patch.totpRequiredOnLogin) }),
        ...(patch.apiKeyAuthEnabled === undefined
          ? {}
          : { api_key_auth_enabled: flag(patch.apiKeyAuthEnabled) }),
        ...(patch.headroomPrimaryPercent === undefined
          ? {}
          : { headroom_primary_percent: patch.headroomPrimaryPercent }),
        ...(patch.headroomSecondaryPercent === undefined
          ? {}
          : { headroom_secondary_percent: patch.headroomSecondaryPercent }),
        ...(patch.routingStrategy === undefined ? {} : { routing_strategy: patch.routingStrategy }),
        ...(patch.stickyTtlSeconds === undefined
          ? {}
          : { sticky_ttl_seconds: patch.stickyTtlSeconds }),
        ...(patch.accountMaxStreams === undefined
          ? {}
          : { account_max_streams: patch.accountMaxStreams }),
        ...(patch.accountQueueWaitSeconds === undefined
          ? {}
          : { account_queue_wait_seconds: patch.accountQueueWaitSeconds }),
        ...(patch.overflowMode === undefined ? {} : { overflow_mode: patch.overflowMode }),
      })
      .where('id', '=', ROW_ID)
    if (requireTotpSecret) query = query.where('totp_secret_enc', 'is not', null)
    const result = await query.executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  private async select(): Promise<SettingsRecord | undefined> {
    const row = await this.db
      .selectFrom('dashboard_settings')
      .select([
        'sticky_threads_enabled',
        'prefer_earlier_reset_accounts',
        'totp_required_on_login',
        'api_key_auth_enabled',
        'headroom_primary_percent',
        'headroom_secondary_percent',
        'routing_strategy',
        'sticky_ttl_seconds',
        'account_max_streams',
        'account_queue_wait_seconds',
        'overflow_mode',
        'session_epoch',
        sql<number>`case when password_hash is null then 0 else 1 end`.as('has_password'),
        sql<number>`case when totp_secret_enc is null then 0 else 1 end`.as('has_totp'),
      ])
      .where('id', '=', ROW_ID)
      .executeTakeFirst()
    if (!row) return undefined
    return {
      stickyThreadsEnabled: row.sticky_threads_enabled === 1,
      preferEarlierResetAccounts: row.prefer_earlier_reset_accounts === 1,
      totpRequiredOnLogin: row.totp_required_on_login === 1,
      apiKeyAuthEnabled: row.api_key_auth_enabled === 1,
      headroomPrimaryPercent: row.headroom_primary_percent ?? null,
      headroomSecondaryPercent: row.headroom_secondary_percent ?? null,
      routingStrategy: row.routing_strategy,
      stickyTtlSeconds: row.sticky_ttl_seconds,
      accountMaxStreams: row.account_max_streams ?? null,
      accountQueueWaitSeconds: row.account_queue_wait_seconds ?? null,
      overflowMode: (row.overflow_mode as OverflowMode | null) ?? null,
      passwordConfigured: Number(row.has_password) === 1,
      totpConfigured: Number(row.has_totp) === 1,
      sessionEpoch: Number(row.session_epoch),
    }
  }
}
