import { sql, type Kysely } from 'kysely'
import type { Database, LimitType, LimitWindow } from '../../db/schema.js'

/*
 * Every read the reports make, behind a few methods whose signatures are the contract with their
 * callers: the queries read request_logs today and may read hourly rollups instead (they only ever
 * ask for UTC-day or hour buckets, which rollups can answer), without the service changing.
 */

/** What a report is narrowed to; empty lists mean "no filter". Bounds are inclusive epoch ms. */
export interface ReportFilter {
  since: number
  until: number
  apiKeyIds: string[]
  accountIds: string[]
  models: string[]
}

export type ReportDimension = 'api_key_id' | 'account_id' | 'model'

export interface SumsRow {
  requests: number
  errors: number
  input_tokens: number
  cached_input_tokens: number
  output_tokens: number
  reasoning_tokens: number
  cost_usd: number
}

export interface DailyGroupRow extends SumsRow {
  /** Epoch ms of the UTC day. */
  day_start: number
  /** The dimension's value; null for rows without a key or account. */
  group_key: string | null
}

export interface HourlyKeyUsageRow {
  hour_start: number
  model: string
  input_tokens: number
  output_tokens: number
  cost_usd: number
}

export interface KeyLimitRow {
  id: number
  limit_type: LimitType
  limit_window: LimitWindow
  max_value: number
  model_filter: string | null
  reset_at: number
}

/** `t - t % size` on the stored epoch ms: the same on both dialects (a literal, not a bound REAL). */
const bucketOf = (sizeMs: number) =>
  sql<number>`l.requested_at - l.requested_at % ${sql.lit(Math.trunc(sizeMs))}`

const sum = (column: string) => sql<number>`coalesce(sum(${sql.ref(`l.${column}`)}), 0)`

const sums = [
  sql<number>`count(*)`.as('requests'),
  sql<number>`coalesce(sum(case when l.status <> 'success' then 1 else 0 end), 0)`.as('errors'),
  sum('input_tokens').as('input_tokens'),
  sum('cached_input_tokens').as('cached_input_tokens'),
  sum('output_tokens').as('output_tokens'),
  sum('reasoning_tokens').as('reasoning_tokens'),
  sum('cost_usd').as('cost_usd'),
] as const

/** PostgreSQL answers sums of bigints as numeric strings; SQLite as numbers. */
function toSums(r: SumsRow): SumsRow {
  return {
    requests: Number(r.requests),
    errors: Number(r.errors),
    input_tokens: Number(r.input_tokens),
    cached_input_tokens: Number(r.cached_input_tokens),
    output_tokens: Number(r.output_tokens),
    reasoning_tokens: Number(r.reasoning_tokens),
    cost_usd: Number(r.cost_usd),
  }
}

const DAY = 86_400_000
const HOUR = 3_600_000

export class ReportsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Sums per UTC day and value of `dimension` over the filter (weeks and months are folded later). */
  async dailySeries(filter: ReportFilter, dimension: ReportDimension): Promise<DailyGroupRow[]> {
    const day = bucketOf(DAY)
    const rows = await this.db
      .selectFrom('request_logs as l')
      .select([day.as('day_start'), sql.ref<string | null>(`l.${dimension}`).as('group_key')])
      .select([...sums])
      .where('l.requested_at', '>=', filter.since)
      .where('l.requested_at', '<=', filter.until)
      .$if(filter.apiKeyIds.length > 0, (q) => q.where('l.api_key_id', 'in', filter.apiKeyIds))
      .$if(filter.accountIds.length > 0, (q) => q.where('l.account_id', 'in', filter.accountIds))
      .$if(filter.models.length > 0, (q) => q.where('l.model', 'in', filter.models))
      .groupBy([day, sql.ref(`l.${dimension}`)])
      .execute()
    return rows.map((r) => ({
      ...toSums(r),
      day_start: Number(r.day_start),
      group_key: r.group_key,
    }))
  }

  /** One key's token and cost sums per hour and model over [since, until). */
  async keyUsageHourly(
    apiKeyId: string,
    since: number,
    until: number,
  ): Promise<HourlyKeyUsageRow[]> {
    const hour = bucketOf(HOUR)
    const rows = await this.db
      .selectFrom('request_logs as l')
      .select([hour.as('hour_start'), 'l.model'])
      .select([
        sum('input_tokens').as('input_tokens'),
        sum('output_tokens').as('output_tokens'),
        sum('cost_usd').as('cost_usd'),
      ])
      .where('l.api_key_id', '=', apiKeyId)
      .where('l.requested_at', '>=', since)
      .where('l.requested_at', '<', until)
      .groupBy([hour, 'l.model'])
      .execute()
    return rows.map((r) => ({
      hour_start: Number(r.hour_start),
      model: r.model,
      input_tokens: Number(r.input_tokens),
      output_tokens: Number(r.output_tokens),
      cost_usd: Number(r.cost_usd),
    }))
  }

  /** Names of the API keys that still exist among `ids` (only names: never a hash or prefix). */
  async apiKeyNames(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map()
    const rows = await this.db
      .selectFrom('api_keys')
      .select(['id', 'name'])
      .where('id', 'in', [...ids])
      .execute()
    return new Map(rows.map((r) => [r.id, r.name]))
  }

  /** Display names (alias, else email) of the accounts that still exist among `ids`. */
  async accountNames(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map()
    const rows = await this.db
      .selectFrom('accounts')
      .select(['id', 'email', 'alias'])
      .where('id', 'in', [...ids])
      .execute()
    return new Map(rows.map((r) => [r.id, r.alias ?? r.email]))
  }

  /** The key's name and limit rules; undefined when there is no such key. */
  async keyLimits(apiKeyId: string): Promise<{ name: string; limits: KeyLimitRow[] } | undefined> {
    const key = await this.db
      .selectFrom('api_keys')
      .select('name')
      .where('id', '=', apiKeyId)
      .executeTakeFirst()
    if (key === undefined) return undefined
    const limits = await this.db
      .selectFrom('api_key_limits')
      .select(['id', 'limit_type', 'limit_window', 'max_value', 'model_filter', 'reset_at'])
      .where('api_key_id', '=', apiKeyId)
      .orderBy('id')
      .execute()
    return {
      name: key.name,
      limits: limits.map((l) => ({
        ...l,
        id: Number(l.id),
        max_value: Number(l.max_value),
        reset_at: Number(l.reset_at),
      })),
    }
  }
}
