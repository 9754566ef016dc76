import type { Kysely } from 'kysely'
import { dialectOf } from '../dialect.js'

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Upstream streams held by every replica (only used when several replicas share a PostgreSQL
 * database): one row per open stream, kept alive by its replica; a row past `expires_at` belongs
 * to a replica that died and no longer counts. Idempotent.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres'
  await db.schema
    .createTable('stream_leases')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('replica_id', 'text', (c) => c.notNull())
    .addColumn('expires_at', pg ? 'bigint' : 'integer', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('idx_stream_leases_account')
    .ifNotExists()
    .on('stream_leases')
    .columns(['account_id', 'expires_at'])
    .execute()
  await db.schema
    .createIndex('idx_stream_leases_replica')
    .ifNotExists()
    .on('stream_leases')
    .column('replica_id')
    .execute()
}
