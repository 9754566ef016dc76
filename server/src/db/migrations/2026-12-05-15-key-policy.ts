import { sql, type Kysely } from 'kysely'
import { dialectOf } from '../dialect.js'

// Migrations take Kysely<any> and never import app types: they describe the schema as it was then.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Per-key policy: the reasoning efforts, service tiers and accounts a key may use (JSON arrays,
 * NULL = no restriction) and its cap on concurrent requests (NULL = none). The account list is a
 * JSON column rather than a join table on purpose: deleting an account must not shrink the list
 * to empty, which would mean "every account".
 */
const COLUMNS = [
  ['allowed_reasoning_efforts', 'text'],
  ['allowed_service_tiers', 'text'],
  ['allowed_account_ids', 'text'],
  ['max_concurrent_requests', 'integer'],
] as const

export async function up(db: Kysely<any>): Promise<void> {
  for (const [column, type] of COLUMNS) {
    // Idempotent like the others: a re-run over an up-to-date schema is harmless.
    if (await hasColumn(db, 'api_keys', column)) continue
    await db.schema.alterTable('api_keys').addColumn(column, type).execute()
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [column] of COLUMNS) {
    await db.schema.alterTable('api_keys').dropColumn(column).execute()
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
