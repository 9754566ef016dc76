import type { Kysely } from 'kysely'
import { dialectOf } from '../dialect.js'

// Migrations take Kysely<any> and never import app types: they describe the schema as it was then.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * What `migrate-from-python` has taken from the original, per source table: the highest original
 * id of the append-only tables (usage history, request logs), so a second run imports only newer
 * rows; a row for the settings once they were taken.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const bigint = dialectOf(db) === 'postgres' ? 'bigint' : 'integer'
  await db.schema
    .createTable('python_import')
    .ifNotExists()
    .addColumn('source_table', 'text', (c) => c.primaryKey())
    .addColumn('last_id', bigint)
    .addColumn('imported_at', bigint, (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('python_import').ifExists().execute()
}
