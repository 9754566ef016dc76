import { expressionBuilder, sql, type Expression, type SqlBool } from 'kysely'
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
