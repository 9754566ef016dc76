import { sql, type Kysely } from 'kysely'
import { dialectOf } from '../dialect.js'

// Migrations take Kysely<any> and never import app types: they describe the schema as it was then.
/* eslint-disable @typescript-eslint/no-explicit-any */

const HOUR_MS = 3_600_000

/**
 * The dimensions of one rollup row. Nullable request-log columns are stored as '' so the primary key
 * (and `on conflict`) works the same on both dialects: NULLs never conflict in a unique key.
 */
const DIMENSIONS = [
  'hour_start',
  'account_id',
  'api_key_id',
  'model',
  'reasoning_effort',
  'overflow_upstream_id',
  'status',
  'error_code',
] as const

/**
 * Hourly sums of request_logs, kept in the same transaction as each batch of rows, so the overview,
 * the filter options, the list's total and the reports read a few hundred rows per hour instead of
 * every request. Backfilled from the rows already stored; a re-run recomputes it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres'
  const bigint = pg ? 'bigint' : 'integer'
  const real = pg ? 'double precision' : 'real'
  // The builder's type tracks the columns added so far; the loops below add them by name.
  let table: any = db.schema
    .createTable('request_log_rollups')
    .ifNotExists()
    .addColumn('hour_start', bigint, (c) => c.notNull())
  for (const d of DIMENSIONS.slice(1)) {
    table = table.addColumn(d, 'text', (c: any) => c.notNull().defaultTo(''))
  }
  for (const s of [
    'requests',
    'errors',
    'input_tokens',
    'cached_input_tokens',
    'output_tokens',
    'reasoning_tokens',
    // input + (output, or reasoning when output is unknown): what the dashboard calls tokens.
    'total_tokens',
    'latency_ms_sum',
    'latency_count',
  ]) {
    table = table.addColumn(s, bigint, (c: any) => c.notNull().defaultTo(0))
  }
  table = table
    .addColumn('cost_usd', real, (c: any) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('request_log_rollups_pk', [...DIMENSIONS])
  // On SQLite the rows are stored in primary-key order (hour first), so a range of hours is one
  // sequential read rather than an index walk with a table lookup per row.
  await (pg ? table : table.modifyEnd(sql`without rowid`)).execute()

  const hour = sql.lit(HOUR_MS)
  await db.deleteFrom('request_log_rollups').execute()
  await sql`insert into request_log_rollups (${sql.join(DIMENSIONS.map((d) => sql.ref(d)))},
      requests, errors, input_tokens, cached_input_tokens, output_tokens, reasoning_tokens,
      total_tokens, latency_ms_sum, latency_count, cost_usd)
    select requested_at - requested_at % ${hour}, coalesce(account_id, ''), coalesce(api_key_id, ''),
      model, coalesce(reasoning_effort, ''), coalesce(overflow_upstream_id, ''), status,
      coalesce(error_code, ''),
      count(*), sum(case when status <> 'success' then 1 else 0 end),
      coalesce(sum(input_tokens), 0), coalesce(sum(cached_input_tokens), 0),
      coalesce(sum(output_tokens), 0), coalesce(sum(reasoning_tokens), 0),
      coalesce(sum(coalesce(input_tokens, 0) + coalesce(output_tokens, reasoning_tokens, 0)), 0),
      coalesce(sum(latency_ms), 0), count(latency_ms), coalesce(sum(cost_usd), 0)
    from request_logs
    group by requested_at - requested_at % ${hour}, coalesce(account_id, ''),
      coalesce(api_key_id, ''), model, coalesce(reasoning_effort, ''),
      coalesce(overflow_upstream_id, ''), status, coalesce(error_code, '')`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('request_log_rollups').ifExists().execute()
}
