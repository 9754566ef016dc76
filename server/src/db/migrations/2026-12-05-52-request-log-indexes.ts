import type { Kysely } from 'kysely'

// Migrations take Kysely<any> and never import app types: they describe the schema as it was then.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * What the filtered request-log page reads beyond requested_at (the initial migration already has
 * account + time and key + time): failures by code, newest first (the rate-limit and quota buckets
 * are a few codes among millions of rows), and one model's rows, newest first. The list's total and
 * the facets are answered from request_log_rollups, so these serve only the page of rows.
 */
const INDEXES = [
  ['idx_logs_error_time', ['error_code', 'requested_at']],
  ['idx_logs_model_time', ['model', 'requested_at']],
] as const

export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, columns] of INDEXES) {
    await db.schema
      .createIndex(name)
      .ifNotExists()
      .on('request_logs')
      .columns([...columns])
      .execute()
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [name] of INDEXES) await db.schema.dropIndex(name).ifExists().execute()
}
