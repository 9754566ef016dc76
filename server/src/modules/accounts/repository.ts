import type { Kysely } from 'kysely'
import type { AccountRow, AccountUpdate, Database, NewAccountRow } from '../../db/index.js'

/** Fields an import writes; status and runtime state are reset by the upsert itself. */
export type ImportedAccountValues = Pick<
  NewAccountRow,
  | 'id'
  | 'chatgpt_account_id'
  | 'email'
  | 'plan_type'
  | 'access_token_enc'
  | 'refresh_token_enc'
  | 'id_token_enc'
  | 'access_token_expires_at'
  | 'last_refresh_at'
>

export interface LatestUsageRow {
  account_id: string
  window: 'primary' | 'secondary'
  used_percent: number
  reset_at: number | null
}

export interface UsageSampleRow {
  window: 'primary' | 'secondary'
  recorded_at: number
  used_percent: number
}

/** The only code of this module that touches the database. */
export class AccountsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  findById(id: string): Promise<AccountRow | undefined> {
    return this.db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst()
  }

  /** Accounts of one ChatGPT workspace (indexed: `idx_accounts_chatgpt_account_id`). */
  listByChatgptAccountId(chatgptAccountId: string): Promise<AccountRow[]> {
    return this.db
      .selectFrom('accounts')
      .selectAll()
      .where('chatgpt_account_id', '=', chatgptAccountId)
      .orderBy('email')
      .orderBy('id')
      .execute()
  }

  listAll(): Promise<AccountRow[]> {
    return this.db.selectFrom('accounts').selectAll().orderBy('email').orderBy('id').execute()
  }

  /**
   * Inserts the account, or updates in place the row with the same id or the same workspace +
   * email (an older row may carry an id derived before its email was known). Re-import means a
   * fresh login: status back to active and runtime state cleared; created_at and history stay.
   */
  async upsertImported(
    values: ImportedAccountValues,
    now: number,
  ): Promise<{ row: AccountRow; created: boolean }> {
    const reset = {
      status: 'active' as const,
      deactivation_reason: null,
      reset_at: null,
      cooldown_until: null,
      error_count: 0,
      last_error_at: null,
      updated_at: now,
    }
    const { id, ...fields } = values
    return this.db.transaction().execute(async (trx) => {
      let existing = await trx
        .selectFrom('accounts')
        .select('id')
        .where('id', '=', id)
        .executeTakeFirst()
      if (!existing && values.chatgpt_account_id && values.email) {
        existing = await trx
          .selectFrom('accounts')
          .select('id')
          .where('chatgpt_account_id', '=', values.chatgpt_account_id)
          .where('email', '=', values.email)
          .orderBy('created_at')
          .executeTakeFirst()
      }
      if (existing) {
        const row = await trx
          .updateTable('accounts')
          .set({ ...fields, ...reset })
          .where('id', '=', existing.id)
          .returningAll()
          .executeTakeFirstOrThrow()
        return { row, created: false }
      }
      const row = await trx
        .insertInto('accounts')
        .values({ ...values, ...reset, created_at: now })
        .onConflict((oc) => oc.column('id').doUpdateSet({ ...fields, ...reset }))
        .returningAll()
        .executeTakeFirstOrThrow()
      return { row, created: true }
    })
  }

  /** Applies the patch; undefined when the account does not exist (any more). */
  update(id: string, patch: AccountUpdate): Promise<AccountRow | undefined> {
    return this.db
      .updateTable('accounts')
      .set(patch)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst()
  }

  /**
   * Applies the patch only while the stored refresh token is still `refreshTokenEnc`: a refresh
   * that started before a re-login must not overwrite what the re-login stored.
   */
  updateIfTokenUnchanged(
    id: string,
    refreshTokenEnc: string,
    patch: AccountUpdate,
  ): Promise<AccountRow | undefined> {
    return this.db
      .updateTable('accounts')
      .set(patch)
      .where('id', '=', id)
      .where('refresh_token_enc', '=', refreshTokenEnc)
      .returningAll()
      .executeTakeFirst()
  }

  /**
   * Deletes the account with its usage samples and sticky pins. Request logs stay: they are the
   * audit trail, and `request_logs.account_id` has no foreign key for exactly this reason.
   */
  async delete(id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('sticky_sessions').where('account_id', '=', id).execute()
      await trx.deleteFrom('usage_history').where('account_id', '=', id).execute()
      const result = await trx.deleteFrom('accounts').where('id', '=', id).executeTakeFirst()
      return Number(result.numDeletedRows) > 0
    })
  }

  /** The newest usage sample per account and window (ties broken by id). */
  latestUsage(): Promise<LatestUsageRow[]> {
    const ranked = this.db.selectFrom('usage_history').select((eb) => [
      'account_id',
      'window',
      'used_percent',
      'reset_at',
      eb.fn
        .agg<number>('row_number')
        .over((ob) =>
          ob
            .partitionBy(['account_id', 'window'])
            .orderBy('recorded_at', 'desc')
            .orderBy('id', 'desc'),
        )
        .as('rn'),
    ])
    return this.db
      .selectFrom(ranked.as('u'))
      .select(['u.account_id', 'u.window', 'u.used_percent', 'u.reset_at'])
      .where('u.rn', '=', 1)
      .execute()
  }

  /** The account's newest sample of each window. */
  async latestUsageOf(accountId: string): Promise<LatestUsageRow[]> {
    const rows: LatestUsageRow[] = []
    for (const window of ['primary', 'secondary'] as const) {
      const row = await this.db
        .selectFrom('usage_history')
        .select(['account_id', 'window', 'used_percent', 'reset_at'])
        .where('account_id', '=', accountId)
        .where('window', '=', window)
        .orderBy('recorded_at', 'desc')
        .orderBy('id', 'desc')
        .executeTakeFirst()
      if (row) rows.push(row)
    }
    return rows
  }

  usageSince(accountId: string, since: number): Promise<UsageSampleRow[]> {
    return this.db
      .selectFrom('usage_history')
      .select(['window', 'recorded_at', 'used_percent'])
      .where('account_id', '=', accountId)
      .where('recorded_at', '>=', since)
      .orderBy('recorded_at')
      .execute()
  }
}
