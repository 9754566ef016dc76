import { sql, type Kysely } from 'kysely'
import { dialectOf } from '../dialect.js'

// Migrations take Kysely<any> and never import app types: they describe the schema as it was then.
/* eslint-disable @typescript-eslint/no-explicit-any */

/** Where each column goes; NULL everywhere means "the next level decides" (account → global → env). */
const COLUMNS = [
  // Upstream streams this account may have in flight.
  ['accounts', 'max_streams'],
  // The global cap, and how long a request waits for a free slot before a 429.
  ['dashboard_settings', 'account_max_streams'],
  ['dashboard_settings', 'account_queue_wait_seconds'],
] as const

/** Per-account concurrency caps: the account's own cap, the global one, and the queue wait. */
export async function up(db: Kysely<any>): Promise<void> {
  for (const [table, column] of COLUMNS) {
    // Idempotent like the others: a re-run over an up-to-date schema is harmless.
    if (await hasColumn(db, table, column)) continue
    await db.schema.alterTable(table).addColumn(column, 'integer').execute()
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [table, column] of COLUMNS) {
    await db.schema.alterTable(table).dropColumn(column).execute()
  }
}

/** In the current schema only: introspection would also see other schemas' tables on PostgreSQL. */
async function hasColumn(db: Kysely<any>, table: string, column: string): Promise<boolean> {
  const rows =
    dialectOf(db) === 'postgres'
      ? await sql`select column_name as name from information_schema.columns
          where table_schema = current_schema() and table_name = ${table}`.execute(db)
      : await sql`select name from pragma_table_info(${table})`.execute(db)
  return (rows.rows as Array<{ name: string }>).some((r) => r.name === column)
}
