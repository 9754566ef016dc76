import { expressionBuilder, sql, type Kysely } from 'kysely'
import type { Database, RequestLogsTable } from '../../db/schema.js'
import { filterConditions, type LogFilter, type ModelOption } from './log-filter.js'

export { filterConditions, type LogFilter, type ModelOption } from './log-filter.js'

export interface LogPageRow {
  id: number
  requested_at: number
  account_id: string | null
  api_key_id: string | null
  request_id: string
  endpoint: string
  model: string
  reasoning_effort: string | null
  status: string
  error_code: string | null
  error_message: string | null
  input_tokens: number | null
  cached_input_tokens: number | null
  output_tokens: number | null
  reasoning_tokens: number | null
  cost_usd: number | null
  latency_ms: number | null
  ttfb_ms: number | null
  client_ip: string | null
  user_agent: string | null
  account_email: string | null
  overflow_upstream_id: string | null
  /** The overflow upstream's name (null for the environment's or a deleted one). */
  overflow_upstream_name: string | null
  /** The joined account's id: null when the row's account no longer exists. */
  joined_account_id: string | null
}

/** Sums over a set of rows; `tokens` counts input + (output, or reasoning when output is null). */
export interface LogAggregate {
  requests: number
  tokens: number
  cached_tokens: number
  errors: number
  cost_usd: number
}

/** What the filter bar can offer under a filter (see RequestLogsService.options). */
export interface LogFacets {
  accountIds: string[]
  modelOptions: ModelOption[]
  /** Distinct (status, error_code) pairs; the service folds them into dashboard buckets. */
  outcomes: Array<{ status: string; error_code: string | null }>
  /** Keys seen with their names (null: deleted since); a null id is "no key". */
  apiKeys: Array<{ id: string | null; name: string | null }>
}

export interface LogBucket extends LogAggregate {
  /** Epoch ms of the bucket's start (a multiple of the bucket size). */
  bucket_start: number
}

type LogsDb = Database & { l: RequestLogsTable }
const eb = expressionBuilder<LogsDb, 'l'>()

const tokensExpr = sql`coalesce(input_tokens, 0) + coalesce(output_tokens, reasoning_tokens, 0)`
const aggregates = [
  sql<number>`count(*)`.as('requests'),
  sql<number>`coalesce(sum(${tokensExpr}), 0)`.as('tokens'),
  sql<number>`coalesce(sum(coalesce(cached_input_tokens, 0)), 0)`.as('cached_tokens'),
  sql<number>`coalesce(sum(case when status <> 'success' then 1 else 0 end), 0)`.as('errors'),
  sql<number>`coalesce(sum(coalesce(cost_usd, 0)), 0)`.as('cost_usd'),
] as const

/** Read side of request_logs for the dashboard: every query here is index-driven by requested_at. */
export class RequestLogsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * One page, newest first. The id tie-break keeps pages stable; on SQLite the requested_at index
   * already ends with the rowid, so the ORDER BY is served by the index without a sort.
   */
  pageQuery(filter: LogFilter, limit: number, offset: number) {
    const where = filterConditions(filter)
    return this.db
      .selectFrom('request_logs as l')
      .leftJoin('accounts as a', 'a.id', 'l.account_id')
      .leftJoin('overflow_upstreams as o', 'o.id', 'l.overflow_upstream_id')
      .selectAll('l')
      .select(['a.email as account_email', 'a.id as joined_account_id'])
      .select('o.name as overflow_upstream_name')
      .$if(where.length > 0, (q) => q.where(eb.and(where)))
      .orderBy('l.requested_at', 'desc')
      .orderBy('l.id', 'desc')
      .limit(limit)
      .offset(offset)
  }

  async page(filter: LogFilter, limit: number, offset: number): Promise<LogPageRow[]> {
    return this.pageQuery(filter, limit, offset).execute()
  }

  async count(filter: LogFilter): Promise<number> {
    const where = filterConditions(filter)
    const row = await this.db
      .selectFrom('request_logs as l')
      .select(sql<number>`count(*)`.as('n'))
      .$if(where.length > 0, (q) => q.where(eb.and(where)))
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  /** The filter options from the rows: one query per facet (the reference for the rollups'). */
  async facets(filter: LogFilter): Promise<LogFacets> {
    const [accountIds, modelOptions, outcomes, apiKeys] = await Promise.all([
      this.distinctAccountIds(filter),
      this.distinctModelOptions(filter),
      this.distinctOutcomes(filter),
      this.distinctApiKeys(filter),
    ])
    return { accountIds, modelOptions, outcomes, apiKeys }
  }

  async distinctAccountIds(filter: LogFilter): Promise<string[]> {
    const rows = await this.#distinct(filter, ['l.account_id'])
      .where('l.account_id', 'is not', null)
      .orderBy('l.account_id')
      .execute()
    return rows.flatMap((r) => (r.account_id === null ? [] : [r.account_id]))
  }

  async distinctModelOptions(filter: LogFilter): Promise<ModelOption[]> {
    const rows = await this.#distinct(filter, ['l.model', 'l.reasoning_effort']).execute()
    return rows.map((r) => ({ model: r.model, reasoningEffort: r.reasoning_effort }))
  }

  /** Keys seen under the filter with their names (null: deleted since); a null id is "no key". */
  async distinctApiKeys(
    filter: LogFilter,
  ): Promise<Array<{ id: string | null; name: string | null }>> {
    const where = filterConditions(filter)
    const rows = await this.db
      .selectFrom((qb) =>
        qb
          .selectFrom('request_logs as l')
          .select('l.api_key_id')
          .distinct()
          .$if(where.length > 0, (q) => q.where(eb.and(where)))
          .as('seen'),
      )
      .leftJoin('api_keys as k', 'k.id', 'seen.api_key_id')
      .select(['seen.api_key_id as id', 'k.name as name'])
      .execute()
    return rows.map((r) => ({ id: r.id, name: r.name }))
  }

  /** Distinct (status, error_code) pairs; the caller folds them into dashboard buckets. */
  async distinctOutcomes(filter: LogFilter) {
    return this.#distinct(filter, ['l.status', 'l.error_code']).execute()
  }

  #distinct<
    C extends 'l.account_id' | 'l.model' | 'l.reasoning_effort' | 'l.status' | 'l.error_code',
  >(filter: LogFilter, columns: C[]) {
    const where = filterConditions(filter)
    return this.db
      .selectFrom('request_logs as l')
      .select(columns)
      .distinct()
      .$if(where.length > 0, (q) => q.where(eb.and(where)))
  }

  /**
   * Aggregates per time bucket over [since, until). The bucket is `t - t % size`: integer
   * arithmetic on the stored epoch ms, identical on SQLite and PostgreSQL (no date functions, and no
   * bound parameter inside the arithmetic: better-sqlite3 binds numbers as REAL).
   */
  async buckets(since: number, until: number, bucketMs: number): Promise<LogBucket[]> {
    const size = sql.lit(Math.trunc(bucketMs))
    const bucket = sql<number>`requested_at - requested_at % ${size}`
    const rows = await this.db
      .selectFrom('request_logs')
      .select([bucket.as('bucket_start'), ...aggregates])
      .where('requested_at', '>=', since)
      .where('requested_at', '<', until)
      .groupBy(bucket)
      .orderBy('bucket_start')
      .execute()
    return rows.map((r) => ({ ...numbers(r), bucket_start: Number(r.bucket_start) }))
  }

  /** Aggregates over [since, now]. */
  async totals(since: number): Promise<LogAggregate> {
    const row = await this.db
      .selectFrom('request_logs')
      .select([...aggregates])
      .where('requested_at', '>=', since)
      .executeTakeFirstOrThrow()
    return numbers(row)
  }

  /** The most frequent error code among failed rows since `since` (ties: alphabetical). */
  async topErrorCode(since: number): Promise<string | null> {
    const row = await this.db
      .selectFrom('request_logs')
      .select(['error_code', sql<number>`count(*)`.as('n')])
      .where('requested_at', '>=', since)
      .where('status', '<>', 'success')
      .where('error_code', 'is not', null)
      .groupBy('error_code')
      .orderBy('n', 'desc')
      .orderBy('error_code')
      .limit(1)
      .executeTakeFirst()
    return row?.error_code ?? null
  }
}

/** PostgreSQL sums come back as numeric; the pool parses them, this keeps SQLite's ints the same. */
function numbers(r: LogAggregate): LogAggregate {
  return {
    requests: Number(r.requests),
    tokens: Number(r.tokens),
    cached_tokens: Number(r.cached_tokens),
    errors: Number(r.errors),
    cost_usd: Number(r.cost_usd),
  }
}
