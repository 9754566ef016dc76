import {
  expressionBuilder,
  sql,
  type Expression,
  type Kysely,
  type RawBuilder,
  type SelectQueryBuilder,
  type SqlBool,
} from 'kysely'
import type { Database, RequestLogRollupRow, RequestLogRollupsTable } from '../../db/schema.js'
import { splitByHour, type TimeRange } from './hour-split.js'
import { QUOTA_CODES, RATE_LIMIT_CODES, type LogStatus } from './log-status.js'
import type { LogFilter, ModelOption } from './repository.js'
import type { ROLLUP_SUMS } from './rollup-rows.js'
import { HOUR_MS, ROLLUP_DIMENSIONS } from './rollup-rows.js'

type RollupDb = Database & { r: RequestLogRollupsTable }
const eb = expressionBuilder<RollupDb, 'r'>()
const KNOWN_CODES = [...RATE_LIMIT_CODES, ...QUOTA_CODES]

/** The filter fields the rollups' dimensions can answer; anything else is read from the rows. */
const ROLLUP_FIELDS = new Set([
  'search',
  'accountIds',
  'apiKeyIds',
  'statuses',
  'models',
  'reasoningEfforts',
  'modelOptions',
  'since',
  'until',
])

/**
 * Whether the rollups can answer a filter exactly: no text search (it reads row text), and no field
 * this file does not know (a filter added later falls back to the rows until it is taught here).
 */
export function rollupsAnswer(filter: LogFilter): boolean {
  if (filter.search !== null) return false
  return Object.entries(filter).every(
    ([k, v]) => ROLLUP_FIELDS.has(k) || v === null || (Array.isArray(v) && v.length === 0),
  )
}

function statusCondition(status: LogStatus): Expression<SqlBool> {
  if (status === 'ok') return eb('r.status', '=', 'success')
  const failed = eb('r.status', '<>', 'success')
  if (status === 'rate_limit') return eb.and([failed, eb('r.error_code', 'in', RATE_LIMIT_CODES)])
  if (status === 'quota') return eb.and([failed, eb('r.error_code', 'in', QUOTA_CODES)])
  // '' (no code) is not a known code either.
  return eb.and([failed, eb('r.error_code', 'not in', KNOWN_CODES)])
}

const modelCondition = (o: ModelOption) =>
  eb.and([eb('r.model', '=', o.model), eb('r.reasoning_effort', '=', o.reasoningEffort ?? '')])

/** The filter's dimension conditions over rollup-shaped rows ('' where the rows hold NULL). */
export function rollupConditions(filter: LogFilter): Expression<SqlBool>[] {
  const out: Expression<SqlBool>[] = []
  if (filter.accountIds.length) out.push(eb('r.account_id', 'in', filter.accountIds))
  if (filter.apiKeyIds.length) {
    out.push(
      eb(
        'r.api_key_id',
        'in',
        filter.apiKeyIds.map((k) => k ?? ''),
      ),
    )
  }
  if (filter.statuses.length) out.push(eb.or(filter.statuses.map(statusCondition)))
  if (filter.modelOptions.length) {
    out.push(eb.or(filter.modelOptions.map(modelCondition)))
  } else {
    if (filter.models.length) out.push(eb('r.model', 'in', filter.models))
    if (filter.reasoningEfforts.length) {
      out.push(eb('r.reasoning_effort', 'in', filter.reasoningEfforts))
    }
  }
  return out
}

/** The filter's inclusive [since, until] as a half-open range. */
export const filterRange = (filter: LogFilter): TimeRange => ({
  from: filter.since,
  to: filter.until === null ? null : filter.until + 1,
})

const hour = sql.lit(HOUR_MS)
/** request_logs rows shaped (and grouped) like rollup rows: the same projection as the backfill. */
const RAW_DIMENSIONS = {
  hour_start: sql<number>`requested_at - requested_at % ${hour}`,
  account_id: sql<string>`coalesce(account_id, '')`,
  api_key_id: sql<string>`coalesce(api_key_id, '')`,
  model: sql<string>`model`,
  reasoning_effort: sql<string>`coalesce(reasoning_effort, '')`,
  overflow_upstream_id: sql<string>`coalesce(overflow_upstream_id, '')`,
  status: sql<'success' | 'error'>`status`,
  error_code: sql<string>`coalesce(error_code, '')`,
}
const RAW_SUMS = {
  requests: sql<number>`count(*)`,
  errors: sql<number>`sum(case when status <> 'success' then 1 else 0 end)`,
  input_tokens: sql<number>`coalesce(sum(input_tokens), 0)`,
  cached_input_tokens: sql<number>`coalesce(sum(cached_input_tokens), 0)`,
  output_tokens: sql<number>`coalesce(sum(output_tokens), 0)`,
  reasoning_tokens: sql<number>`coalesce(sum(reasoning_tokens), 0)`,
  total_tokens: sql<number>`coalesce(sum(coalesce(input_tokens, 0)
    + coalesce(output_tokens, reasoning_tokens, 0)), 0)`,
  latency_ms_sum: sql<number>`coalesce(sum(latency_ms), 0)`,
  latency_count: sql<number>`count(latency_ms)`,
  cost_usd: sql<number>`coalesce(sum(cost_usd), 0)`,
}

export type RollupColumn = (typeof ROLLUP_DIMENSIONS)[number] | (typeof ROLLUP_SUMS)[number]

/** The columns `rollupConditions(filter)` reads. */
export function filterColumns(filter: LogFilter): RollupColumn[] {
  const out: RollupColumn[] = []
  if (filter.accountIds.length) out.push('account_id')
  if (filter.apiKeyIds.length) out.push('api_key_id')
  if (filter.statuses.length) out.push('status', 'error_code')
  if (filter.modelOptions.length || filter.models.length) out.push('model')
  if (filter.modelOptions.length || filter.reasoningEfforts.length) out.push('reasoning_effort')
  return out
}

const isDimension = (c: RollupColumn): c is (typeof ROLLUP_DIMENSIONS)[number] =>
  (ROLLUP_DIMENSIONS as readonly string[]).includes(c)

/** A branch of the source: typed as whole rollup rows, carrying only the listed columns. */
type Branch = SelectQueryBuilder<Database, keyof Database, RequestLogRollupRow>

function rollupBranch(db: Kysely<Database>, hours: TimeRange, columns: RollupColumn[]): Branch {
  return db
    .selectFrom('request_log_rollups')
    .select(columns)
    .$if(hours.from !== null, (q) => q.where('hour_start', '>=', hours.from as number))
    .$if(hours.to !== null, (q) => q.where('hour_start', '<', hours.to as number))
}

const rawColumn = (c: RollupColumn): RawBuilder<unknown> =>
  isDimension(c) ? RAW_DIMENSIONS[c] : RAW_SUMS[c]

/** The rows of the partial hours, grouped by the wanted dimensions (the backfill's projection). */
function rawBranch(
  db: Kysely<Database>,
  edges: Array<{ from: number; to: number }>,
  columns: RollupColumn[],
): Branch {
  const dims = columns.filter(isDimension)
  const rows = db
    .selectFrom('request_logs')
    .select(columns.map((c) => rawColumn(c).as(c)))
    .where((w) =>
      w.or(
        edges.map((e) => w.and([w('requested_at', '>=', e.from), w('requested_at', '<', e.to)])),
      ),
    )
  return (dims.length ? rows.groupBy(dims.map((d) => RAW_DIMENSIONS[d])) : rows) as Branch
}

/**
 * Rollup-shaped rows covering `range` exactly, in up to two parts: the stored rollups of its whole
 * hours, and the rows of its partial hours grouped the same way. Each part is queried on its own and
 * the caller merges the answers: a UNION ALL of the two runs on SQLite as a co-routine that copies
 * every row, several times slower than reading the rollups directly. Only `columns` are carried; the
 * caller lists what its select and `rollupConditions` read (`filterColumns`), and reads it as `r`.
 */
export function rollupParts(
  db: Kysely<Database>,
  range: TimeRange,
  wanted: readonly RollupColumn[],
) {
  const columns = [...new Set(wanted)]
  const split = splitByHour(range)
  const parts: Branch[] = []
  if (split.hours !== null) parts.push(rollupBranch(db, split.hours, columns))
  if (split.edges.length) parts.push(rawBranch(db, split.edges, columns))
  return parts.map((p) => db.selectFrom(p.as('r')))
}
