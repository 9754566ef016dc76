import { sql, type Kysely } from 'kysely'
import type { Database, LimitType, LimitWindow } from '../../db/schema.js'
import {
  dailyParts,
  rollupParts,
  type DailyColumn,
  type RollupColumn,
} from '../request-logs/index.js'

/*
 * Every read the reports make, behind a few methods whose signatures are the contract with their
 * callers. The sums come from the hourly rollups (request_log_rollups, kept by the log writer) plus
 * the rows of the partial hours at the ends of a range: the reports only ask for UTC-day or hour
 * buckets, which hours add up to exactly.
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

/** `t - t % size` on the rollups' hour: the same on both dialects (a literal, not a bound REAL). */
const bucketOf = (sizeMs: number) =>
  sql<number>`r.hour_start - r.hour_start % ${sql.lit(Math.trunc(sizeMs))}`

const sum = (column: RollupColumn) => sql<number>`coalesce(sum(${sql.ref(`r.${column}`)}), 0)`

const SUMS = [
  'requests',
  'errors',
  'input_tokens',
  'cached_input_tokens',
  'output_tokens',
  'reasoning_tokens',
  'cost_usd',
] as const satisfies readonly RollupColumn[]

const ZERO: SumsRow = {
  requests: 0,
  errors: 0,
  input_tokens: 0,
  cached_input_tokens: 0,
  output_tokens: 0,
  reasoning_tokens: 0,
  cost_usd: 0,
}

/** Adds `b` into `a`; PostgreSQL answers sums of bigints as numeric, SQLite as numbers. */
function addSums<T extends Partial<SumsRow>>(a: T, b: T): T {
  const out: Record<string, unknown> = { ...a }
  for (const k of SUMS) if (k in a) out[k] = Number(a[k]) + Number(b[k])
  return out as T
}

const DAY = 86_400_000
const HOUR = 3_600_000
const orNull = (v: string): string | null => (v === '' ? null : v)

export class ReportsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Sums per UTC day and value of `dimension` over the filter (weeks and months are folded later),
   * from the daily rollups of its whole days (dailyParts: the hourly rollups and rows at its ends).
   */
  async dailySeries(filter: ReportFilter, dimension: ReportDimension): Promise<DailyGroupRow[]> {
    const day = bucketOf(DAY)
    const columns: DailyColumn[] = ['hour_start', dimension, ...SUMS]
    if (filter.apiKeyIds.length) columns.push('api_key_id')
    if (filter.accountIds.length) columns.push('account_id')
    if (filter.models.length) columns.push('model')
    const range = { from: filter.since, to: filter.until + 1 }
    const lists = await Promise.all(
      dailyParts(this.db, range, columns).map((q) =>
        q
          .select([day.as('day_start'), sql.ref<string>(`r.${dimension}`).as('group_key')])
          .select(SUMS.map((c) => sum(c).as(c)))
          .$if(filter.apiKeyIds.length > 0, (w) => w.where('r.api_key_id', 'in', filter.apiKeyIds))
          .$if(filter.accountIds.length > 0, (w) =>
            w.where('r.account_id', 'in', filter.accountIds),
          )
          .$if(filter.models.length > 0, (w) => w.where('r.model', 'in', filter.models))
          .groupBy([day, sql.ref(`r.${dimension}`)])
          .execute(),
      ),
    )
    const merged = new Map<string, DailyGroupRow>()
    for (const r of lists.flat()) {
      const row: DailyGroupRow = {
        ...addSums(ZERO, r),
        day_start: Number(r.day_start),
        group_key: orNull(r.group_key),
      }
      const key = JSON.stringify([row.day_start, row.group_key])
      const seen = merged.get(key)
      merged.set(key, seen ? addSums(seen, row) : row)
    }
    return [...merged.values()]
  }

  /** One key's token and cost sums per hour and model over [since, until). */
  async keyUsageHourly(
    apiKeyId: string,
    since: number,
    until: number,
  ): Promise<HourlyKeyUsageRow[]> {
    const hour = bucketOf(HOUR)
    const columns: RollupColumn[] = ['hour_start', 'api_key_id', 'model']
    columns.push('input_tokens', 'output_tokens', 'cost_usd')
    const lists = await Promise.all(
      rollupParts(this.db, { from: since, to: until }, columns).map((q) =>
        q
          .select([hour.as('hour_start'), 'r.model'])
          .select([
            sum('input_tokens').as('input_tokens'),
            sum('output_tokens').as('output_tokens'),
            sum('cost_usd').as('cost_usd'),
          ])
          .where('r.api_key_id', '=', apiKeyId)
          .groupBy([hour, 'r.model'])
          .execute(),
      ),
    )
    const merged = new Map<string, HourlyKeyUsageRow>()
    for (const r of lists.flat()) {
      const row: HourlyKeyUsageRow = {
        hour_start: Number(r.hour_start),
        model: r.model,
        input_tokens: Number(r.input_tokens),
        output_tokens: Number(r.output_tokens),
        cost_usd: Number(r.cost_usd),
      }
      const key = JSON.stringify([row.hour_start, row.model])
      const seen = merged.get(key)
      merged.set(key, seen ? addSums(seen, row) : row)
    }
    return [...merged.values()]
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
