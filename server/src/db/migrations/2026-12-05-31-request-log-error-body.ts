import type { Kysely } from 'kysely'
import { hasColumn } from './columns.js'

/* eslint-disable @typescript-eslint/no-explicit-any */

/** What the upstream said when an attempt failed (redacted, at most 4 KB). Old rows stay null. */
export async function up(db: Kysely<any>): Promise<void> {
  if (await hasColumn(db, 'request_logs', 'upstream_error_body')) return
  await db.schema.alterTable('request_logs').addColumn('upstream_error_body', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('request_logs').dropColumn('upstream_error_body').execute()
}
