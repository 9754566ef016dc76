import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'

export interface WindowAverage {
  account_id: string
  used_percent: number
}

/** usage_history reads the dashboard needs beyond the latest sample per window. */
export class DashboardRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Mean used % per account over the samples of `window` recorded at or after `since`. */
  async averageUsed(window: 'primary' | 'secondary', since: number): Promise<WindowAverage[]> {
    const rows = await this.db
      .selectFrom('usage_history')
      .select(['account_id', (eb) => eb.fn.avg<number>('used_percent').as('used_percent')])
      .where('window', '=', window)
      .where('recorded_at', '>=', since)
      .groupBy('account_id')
      .execute()
    return rows.map((r) => ({ account_id: r.account_id, used_percent: Number(r.used_percent) }))
  }
}
