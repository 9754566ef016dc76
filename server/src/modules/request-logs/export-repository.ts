import { expressionBuilder, type Expression, type Kysely, type SqlBool } from 'kysely'
import type { Database, RequestLogRow, RequestLogsTable } from '../../db/schema.js'
import { filterConditions, type LogFilter } from './repository.js'

/** The request_logs columns the CSV writes (never upstream_error_body: large, and not exported). */
const EXPORTED = [
  'l.id',
  'l.requested_at',
  'l.request_id',
  'l.status',
  'l.error_code',
  'l.error_message',
  'l.account_id',
  'l.overflow_upstream_id',
  'l.api_key_id',
  'l.model',
  'l.reasoning_effort',
  'l.endpoint',
  'l.input_tokens',
  'l.cached_input_tokens',
  'l.output_tokens',
  'l.reasoning_tokens',
  'l.cost_usd',
  'l.latency_ms',
  'l.ttfb_ms',
  'l.client_ip',
  'l.user_agent',
] as const

export type ExportRow = Omit<RequestLogRow, 'http_status' | 'transport' | 'upstream_error_body'>

/**
 * The names an export resolves ids to, read once per export instead of joined into every row: an
 * account's email (absent: deleted since), an API key's name, an overflow upstream's name.
 */
export interface ExportNames {
  accountEmails: ReadonlyMap<string, string>
  apiKeyNames: ReadonlyMap<string, string>
  overflowNames: ReadonlyMap<string, string>
}

/** Where the previous batch ended: its last row (newest first, ties by id). */
export interface ExportCursor {
  requestedAt: number
  id: number
}

type LogsDb = Database & { l: RequestLogsTable }
const eb = expressionBuilder<LogsDb, 'l'>()

/**
 * Rows strictly after the cursor in (requested_at desc, id desc) order, as a row-value comparison:
 * both dialects walk the requested_at index from the cursor (an OR of the two cases does not).
 */
function afterCursor(c: ExportCursor): Expression<SqlBool> {
  return eb(eb.refTuple('l.requested_at', 'l.id'), '<', eb.tuple(c.requestedAt, c.id))
}

/**
 * The CSV export's read of request_logs: keyset batches (no OFFSET, so batch N costs what batch 1
 * does) of the exported columns only, and the names once. Only names are read from api_keys and
 * overflow_upstreams: never a hash, prefix or upstream key.
 */
export class RequestLogsExportRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async names(): Promise<ExportNames> {
    const [accounts, keys, overflow] = await Promise.all([
      this.db.selectFrom('accounts').select(['id', 'email']).execute(),
      this.db.selectFrom('api_keys').select(['id', 'name']).execute(),
      this.db.selectFrom('overflow_upstreams').select(['id', 'name']).execute(),
    ])
    return {
      accountEmails: new Map(accounts.map((a) => [a.id, a.email])),
      apiKeyNames: new Map(keys.map((k) => [k.id, k.name])),
      overflowNames: new Map(overflow.map((o) => [o.id, o.name])),
    }
  }

  async batch(filter: LogFilter, after: ExportCursor | null, size: number): Promise<ExportRow[]> {
    const where = filterConditions(filter)
    if (after !== null) where.push(afterCursor(after))
    return this.db
      .selectFrom('request_logs as l')
      .select(EXPORTED)
      .$if(where.length > 0, (q) => q.where(eb.and(where)))
      .orderBy('l.requested_at', 'desc')
      .orderBy('l.id', 'desc')
      .limit(size)
      .execute()
  }
}
