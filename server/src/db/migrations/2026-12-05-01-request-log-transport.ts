import type { Kysely } from 'kysely'
import { hasColumn } from './columns.js'

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
