import { sql, type Kysely } from 'kysely'
import { dialectOf } from '../dialect.js'

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Whether a table of the current schema has a column: what keeps an additive migration harmless on
 * a re-run. Introspection would also see other schemas' tables on PostgreSQL, hence the query.
 */
export async function hasColumn(db: Kysely<any>, table: string, column: string): Promise<boolean> {
  const rows =
    dialectOf(db) === 'postgres'
      ? await sql`select column_name as name from information_schema.columns
          where table_schema = current_schema() and table_name = ${table}`.execute(db)
      : await sql`select name from pragma_table_info(${table})`.execute(db)
  return (rows.rows as Array<{ name: string }>).some((r) => r.name === column)
}
