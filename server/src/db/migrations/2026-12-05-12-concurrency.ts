import type { Kysely } from 'kysely'
import { hasColumn } from './columns.js'

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
