import type { Kysely } from 'kysely'
import { dialectOf } from '../dialect.js'

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Logged-out dashboard sessions: the guard refuses a cookie whose session id is here, so a copied
 * cookie dies at logout instead of at its expiry. `expires_at` (epoch ms) is when the row may go.
 * Idempotent.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres'
  await db.schema
    .createTable('dashboard_session_revocations')
    .ifNotExists()
    .addColumn('session_id', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', pg ? 'bigint' : 'integer', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('idx_dashboard_session_revocations_expires')
    .ifNotExists()
    .on('dashboard_session_revocations')
    .column('expires_at')
    .execute()
}
