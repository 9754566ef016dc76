import { expressionBuilder, type Expression, type Kysely, type SqlBool } from 'kysely'
import type { Database, RequestLogsTable } from '../../db/schema.js'
import { filterConditions, type LogFilter, type LogPageRow } from './repository.js'

export interface ExportRow extends LogPageRow {
  api_key_name: string | null
}

/** Where the previous batch ended: its last row (newest first, ties by id). */
export interface ExportCursor {
  requestedAt: number
  id: number
}

type LogsDb = Database & { l: RequestLogsTable }
const eb = expressionBuilder<LogsDb, 'l'>()

/** Rows strictly after the cursor in (requested_at desc, id desc) order. */
function afterCursor(c: ExportCursor): Expression<SqlBool> {
  return eb.or([
    eb('l.requested_at', '<', c.requestedAt),
    eb.and([eb('l.requested_at', '=', c.requestedAt), eb('l.id', '<', c.id)]),
  ])
}

/**
 * The CSV export's read of request_logs: keyset batches (no OFFSET, so batch N costs what batch 1
 * does) with the account's email, the API key's name and the overflow upstream's name joined. Only
 * names are read from api_keys and overflow_upstreams: never a hash, prefix or upstream key.
 */
export class RequestLogsExportRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async batch(filter: LogFilter, after: ExportCursor | null, size: number): Promise<ExportRow[]> {
    const where = filterConditions(filter)
    if (after !== null) where.push(afterCursor(after))
    return this.db
      .selectFrom('request_logs as l')
      .leftJoin('accounts as a', 'a.id', 'l.account_id')
      .leftJoin('overflow_upstreams as o', 'o.id', 'l.overflow_upstream_id')
      .leftJoin('api_keys as k', 'k.id', 'l.api_key_id')
      .selectAll('l')
      .select(['a.email as account_email', 'a.id as joined_account_id'])
      .select(['o.name as overflow_upstream_name', 'k.name as api_key_name'])
      .$if(where.length > 0, (q) => q.where(eb.and(where)))
      .orderBy('l.requested_at', 'desc')
      .orderBy('l.id', 'desc')
      .limit(size)
      .execute()
  }
}
