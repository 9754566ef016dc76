import type { Kysely } from 'kysely'
import { hasColumn } from './columns.js'

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
