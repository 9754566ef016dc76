import { expressionBuilder, sql, type Expression, type Kysely, type SqlBool } from 'kysely'
import type { Database, RequestLogsTable } from '../../db/schema.js'
import { QUOTA_CODES, RATE_LIMIT_CODES, type LogStatus } from './log-status.js'

export interface ModelOption {
  model: string
  reasoningEffort: string | null
}

/** What a dashboard view of the logs is narrowed to; empty lists and nulls mean "no filter". */
export interface LogFilter {
  /**
   * Case-insensitive substring over ids, email, model, effort, status, error, the token counts (the
   * shown total included) and latency.
   */
  search: string | null
  accountIds: string[]
  /** OR-ed; null stands for the rows sent without an API key. */
  apiKeyIds: Array<string | null>
  /** OR-ed buckets. */
  statuses: LogStatus[]
  models: string[]
  reasoningEfforts: string[]
  /** When present, `models` and `reasoningEfforts` are ignored (original-admin §5.3). */
  modelOptions: ModelOption[]
  /** Inclusive bounds, epoch ms. */
  since: number | null
  until: number | null
}

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

export interface LogBucket extends LogAggregate {
  /** Epoch ms of the bucket's start (a multiple of the bucket size). */
  bucket_start: number
}

type LogsDb = Database & { l: RequestLogsTable }
const eb = expressionBuilder<LogsDb, 'l'>()
const KNOWN_CODES = [...RATE_LIMIT_CODES, ...QUOTA_CODES]

function statusCondition(status: LogStatus): Expression<SqlBool> {
  if (status === 'ok') return eb('l.status', '=', 'success')
  const failed = eb('l.status', '<>', 'success')
  if (status === 'rate_limit') return eb.and([failed, eb('l.error_code', 'in', RATE_LIMIT_CODES)])
  if (status === 'quota') return eb.and([failed, eb('l.error_code', 'in', QUOTA_CODES)])
  return eb.and([
    failed,
    eb.or([eb('l.error_code', 'is', null), eb('l.error_code', 'not in', KNOWN_CODES)]),
  ])
}

function modelCondition(option: ModelOption): Expression<SqlBool> {
  return eb.and([
    eb('l.model', '=', option.model),
    option.reasoningEffort === null
      ? eb('l.reasoning_effort', 'is', null)
      : eb('l.reasoning_effort', '=', option.reasoningEffort),
  ])
}

function apiKeyCondition(ids: Array<string | null>): Expression<SqlBool> {
  const keys = ids.filter((id): id is string => id !== null)
  const either: Expression<SqlBool>[] = []
  if (keys.length) either.push(eb('l.api_key_id', 'in', keys))
  if (keys.length < ids.length) either.push(eb('l.api_key_id', 'is', null))
  return eb.or(either)
}

/** `%text%` for LIKE, lower-cased; `!` escapes wildcards so `50%` means the text on both dialects. */
const likePattern = (text: string) => `%${text.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`

/** The `tokens` a row shows: input + (output, or reasoning when output is unknown); null if none. */
const shownTokens = sql`case when l.input_tokens is null and l.output_tokens is null
  and l.reasoning_tokens is null then null
  else coalesce(l.input_tokens, 0) + coalesce(l.output_tokens, l.reasoning_tokens, 0) end`

function searchCondition(search: string): Expression<SqlBool> {
  const pattern = likePattern(search)
  // Numbers are stored without separators: `12,345` finds 12345.
  const digits = search.replace(/[,_\s]/g, '')
  const numberPattern = /^\d+$/.test(digits) ? likePattern(digits) : pattern
  const like = (column: Expression<unknown>, p = pattern) =>
    sql<SqlBool>`lower(${column}) like ${p} escape '!'`
  const text = (column: Expression<unknown>) => sql`cast(${column} as text)`
  // The email lives on accounts; a subquery keeps the filter join-free for the count query.
  const byEmail = sql<SqlBool>`${sql.ref('l.account_id')} in (select id from accounts where ${like(sql.ref('email'))})`
  const columns = [
    'account_id',
    'request_id',
    'model',
    'reasoning_effort',
    'status',
    'error_code',
    'error_message',
  ] as const
  const numbers = [
    shownTokens,
    ...(
      [
        'input_tokens',
        'output_tokens',
        'cached_input_tokens',
        'reasoning_tokens',
        'latency_ms',
      ] as const
    ).map((c) => sql.ref(`l.${c}`)),
  ]
  return eb.or([
    ...columns.map((c) => like(sql.ref(`l.${c}`))),
    ...numbers.map((c) => like(text(c), numberPattern)),
    byEmail,
  ])
}

export function filterConditions(filter: LogFilter): Expression<SqlBool>[] {
  const out: Expression<SqlBool>[] = []
  if (filter.since !== null) out.push(eb('l.requested_at', '>=', filter.since))
  if (filter.until !== null) out.push(eb('l.requested_at', '<=', filter.until))
  if (filter.accountIds.length) out.push(eb('l.account_id', 'in', filter.accountIds))
  if (filter.apiKeyIds.length) out.push(apiKeyCondition(filter.apiKeyIds))
  if (filter.statuses.length) out.push(eb.or(filter.statuses.map(statusCondition)))
  if (filter.modelOptions.length) {
    out.push(eb.or(filter.modelOptions.map(modelCondition)))
  } else {
    if (filter.models.length) out.push(eb('l.model', 'in', filter.models))
    if (filter.reasoningEfforts.length) {
      out.push(eb('l.reasoning_effort', 'in', filter.reasoningEfforts))
    }
  }
  if (filter.search !== null) out.push(searchCondition(filter.search))
  return out
}

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
