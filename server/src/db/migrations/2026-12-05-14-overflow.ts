import type { Kysely } from 'kysely'
import { hasColumn } from './columns.js'
import { dialectOf } from '../dialect.js'

// Migrations take Kysely<any> and never import app types: they describe the schema as it was then.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Overflow to an OpenAI-compatible API: the upstreams (key encrypted like account tokens), the mode
 * setting (null: the environment default), and which overflow upstream served a request-log row.
 * Idempotent: every step checks the current schema first.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres'
  const bigint = pg ? 'bigint' : 'integer'
  const real = pg ? 'double precision' : 'real'
  await db.schema
    .createTable('overflow_upstreams')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('base_url', 'text', (c) => c.notNull())
    .addColumn('api_key_enc', 'text', (c) => c.notNull())
    .addColumn('api_key_prefix', 'text', (c) => c.notNull())
    // JSON array of {model, upstreamModel}; [] serves every model.
    .addColumn('models', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('input_price', real)
    .addColumn('cached_input_price', real)
    .addColumn('output_price', real)
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .execute()
  if (!(await hasColumn(db, 'request_logs', 'overflow_upstream_id'))) {
    await db.schema.alterTable('request_logs').addColumn('overflow_upstream_id', 'text').execute()
  }
  if (!(await hasColumn(db, 'dashboard_settings', 'overflow_mode'))) {
    await db.schema.alterTable('dashboard_settings').addColumn('overflow_mode', 'text').execute()
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('dashboard_settings').dropColumn('overflow_mode').execute()
  await db.schema.alterTable('request_logs').dropColumn('overflow_upstream_id').execute()
  await db.schema.dropTable('overflow_upstreams').ifExists().execute()
}
