import type { Kysely } from 'kysely'
import { hasColumn } from './columns.js'

// Migrations take Kysely<any> and never import app types: they describe the schema as it was then.
/* eslint-disable @typescript-eslint/no-explicit-any */

/** A display name per account (NULL: the dashboard shows the email). */
export async function up(db: Kysely<any>): Promise<void> {
  // Idempotent like the others: a re-run over an up-to-date schema is harmless.
  if (await hasColumn(db, 'accounts', 'alias')) return
  await db.schema.alterTable('accounts').addColumn('alias', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('accounts').dropColumn('alias').execute()
}
