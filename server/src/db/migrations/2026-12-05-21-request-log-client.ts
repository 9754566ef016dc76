import type { Kysely } from 'kysely'
import { hasColumn } from './columns.js'

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Who sent each request: client address and User-Agent. Old rows stay null. */
export async function up(db: Kysely<any>): Promise<void> {
  for (const column of ['client_ip', 'user_agent']) {
    if (await hasColumn(db, 'request_logs', column)) continue
    await db.schema.alterTable('request_logs').addColumn(column, 'text').execute()
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('request_logs').dropColumn('user_agent').execute()
  await db.schema.alterTable('request_logs').dropColumn('client_ip').execute()
}
