import type { Kysely } from 'kysely'
import { hasColumn } from './columns.js'

// Migrations take Kysely<any> and never import app types: they describe the schema as it was then.
/* eslint-disable @typescript-eslint/no-explicit-any */

/** An egress proxy URL per account, encrypted like the tokens (it may carry a password). */
export async function up(db: Kysely<any>): Promise<void> {
  // Idempotent like the others: a re-run over an up-to-date schema is harmless.
  if (await hasColumn(db, 'accounts', 'egress_proxy_encrypted')) return
  await db.schema.alterTable('accounts').addColumn('egress_proxy_encrypted', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('accounts').dropColumn('egress_proxy_encrypted').execute()
}
