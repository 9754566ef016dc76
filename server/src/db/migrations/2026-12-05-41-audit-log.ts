import type { Kysely } from 'kysely'
import { dialectOf } from '../dialect.js'

// Migrations take Kysely<any> and never import app types: they describe the schema as it was then.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * The audit log: one row per administrative action (who, from where, what changed, outcome).
 * `details` is JSON text that never holds a secret (scrubbed before the write). Idempotent.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres'
  await db.schema
    .createTable('audit_log')
    .ifNotExists()
    .addColumn('id', pg ? 'bigserial' : 'integer', (c) =>
      pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('occurred_at', pg ? 'bigint' : 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text')
    .addColumn('target_id', 'text')
    .addColumn('client_ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('details', 'text')
    .execute()
  await db.schema
    .createIndex('idx_audit_occurred_at')
    .ifNotExists()
    .on('audit_log')
    .column('occurred_at')
    .execute()
  await db.schema
    .createIndex('idx_audit_action_time')
    .ifNotExists()
    .on('audit_log')
    .columns(['action', 'occurred_at'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_log').ifExists().execute()
}
