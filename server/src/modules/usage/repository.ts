import { sql, type Kysely } from 'kysely'
import type { Database, NewUsageRow } from '../../db/schema.js'

export interface LatestWindowRow {
  account_id: string
  window: 'primary' | 'secondary'
  used_percent: number
  reset_at: number | null
  window_minutes: number | null
  credits_has: number | null
  credits_unlimited: number | null
  credits_balance: number | null
  recorded_at: number
}

export class UsageRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(rows: NewUsageRow[]): Promise<void> {
    if (rows.length) await this.db.insertInto('usage_history').values(rows).execute()
  }

  /** Newest row per account and window. (`window` is reserved in PostgreSQL: always quoted.) */
  async latest(): Promise<LatestWindowRow[]> {
    const r = await sql<LatestWindowRow>`
      select u.account_id, u."window", u.used_percent, u.reset_at, u.window_minutes,
             u.credits_has, u.credits_unlimited, u.credits_balance, u.recorded_at
      from usage_history u
      join (select account_id, "window", max(recorded_at) as recorded_at
            from usage_history group by account_id, "window") l
        on l.account_id = u.account_id and l."window" = u."window" and l.recorded_at = u.recorded_at`.execute(
      this.db,
    )
    return r.rows
  }

  /** Usage rows are one per window per account per poll; keep a bounded history. */
  async deleteOlderThan(cutoff: number): Promise<number> {
    const r = await this.db
      .deleteFrom('usage_history')
      .where('recorded_at', '<', cutoff)
      .executeTakeFirst()
    return Number(r.numDeletedRows)
  }
}
