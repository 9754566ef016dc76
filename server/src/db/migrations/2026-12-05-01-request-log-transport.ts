import { sql, type Kysely } from 'kysely'
import { dialectOf } from '../dialect.js'

// Migrations take Kysely<any> and never import app types: they describe the schema as it was then.
/* eslint-disable @typescript-eslint/no-explicit-any */

/** Which way a request came in: `http` (SSE or JSON) or `websocket`. Old rows were all HTTP. */
export async function up(db: Kysely<any>): Promise<void> {
  // Idempotent like the initial migration, so a re-run over an up-to-date schema is harmless.
  if (await hasColumn(db, 'request_logs', 'transport')) return
  await db.schema
    .alterTable('request_logs')
    .addColumn('transport', 'text', (c) => c.notNull().defaultTo('http'))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('request_logs').dropColumn('transport').execute()
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
