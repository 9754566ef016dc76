import { sql, type Expression, type Kysely, type SqlBool } from 'kysely'
import type { AuditLogRow, Database, NewAuditLogRow } from '../../db/schema.js'
import type { AuditFilter } from './schemas.js'

/** Columns a search looks in (details is JSON text: field names and values both match). */
const SEARCHED = [
  'action',
  'target_type',
  'target_id',
  'client_ip',
  'user_agent',
  'details',
] as const

/** `%` and `_` match themselves: the search is a substring, not a pattern. */
function likePattern(search: string): string {
  return `%${search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/** The only code that touches `audit_log`. */
export class AuditRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: NewAuditLogRow): Promise<void> {
    await this.db.insertInto('audit_log').values(row).execute()
  }

  /** Newest first; `total` counts every row the filter matches. */
  async list(
    filter: AuditFilter,
    limit: number,
    offset: number,
  ): Promise<{ rows: AuditLogRow[]; total: number }> {
    const filtered = this.db.selectFrom('audit_log').where((eb) => {
      const conditions: Array<Expression<SqlBool>> = []
      if (filter.actions.length > 0) conditions.push(eb('action', 'in', filter.actions))
      if (filter.outcome) conditions.push(eb('outcome', '=', filter.outcome))
      if (filter.since !== null) conditions.push(eb('occurred_at', '>=', filter.since))
      if (filter.until !== null) conditions.push(eb('occurred_at', '<=', filter.until))
      if (filter.search !== null) {
        const pattern = likePattern(filter.search)
        conditions.push(
          eb.or(
            SEARCHED.map(
              (column) =>
                sql<SqlBool>`lower(coalesce(${sql.ref(column)}, '')) like ${pattern} escape '\\'`,
            ),
          ),
        )
      }
      return eb.and(conditions)
    })
    const [rows, count] = await Promise.all([
      filtered
        .selectAll()
        .orderBy('occurred_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .offset(offset)
        .execute(),
      filtered.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirst(),
    ])
    return { rows, total: Number(count?.n ?? 0) }
  }

  /** The actions that occur in the log, alphabetically. */
  async actions(): Promise<string[]> {
    const rows = await this.db
      .selectFrom('audit_log')
      .select('action')
      .distinct()
      .orderBy('action')
      .execute()
    return rows.map((r) => r.action)
  }

  /** Returns how many rows were deleted. */
  async deleteOlderThan(cutoff: number): Promise<number> {
    const r = await this.db
      .deleteFrom('audit_log')
      .where('occurred_at', '<', cutoff)
      .executeTakeFirst()
    return Number(r.numDeletedRows)
  }
}
