import type { Kysely } from 'kysely'
import { hasColumn } from './columns.js'
import { dialectOf } from '../dialect.js'

// Migrations take Kysely<any> and never import app types: they describe the schema as it was then.
/* eslint-disable @typescript-eslint/no-explicit-any */

const COLUMNS = ['headroom_primary_percent', 'headroom_secondary_percent'] as const
/** Per-account ceilings override the global ones; NULL everywhere means "the next level decides". */
const TABLES = ['accounts', 'dashboard_settings'] as const

/** Usage ceilings per window (percent used, 0–100): per account, and the global default. */
export async function up(db: Kysely<any>): Promise<void> {
  const real = dialectOf(db) === 'postgres' ? 'double precision' : 'real'
  for (const table of TABLES) {
    for (const column of COLUMNS) {
      // Idempotent like the others: a re-run over an up-to-date schema is harmless.
      if (await hasColumn(db, table, column)) continue
      await db.schema.alterTable(table).addColumn(column, real).execute()
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of TABLES) {
    for (const column of COLUMNS) await db.schema.alterTable(table).dropColumn(column).execute()
  }
}
