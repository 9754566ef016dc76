import { sql, type Kysely } from 'kysely'
import { dialectOf } from '../dialect.js'

// Migrations take Kysely<any> and never import app types: they describe the schema as it was then.
/* eslint-disable @typescript-eslint/no-explicit-any */

const DAY_MS = 86_400_000

/** The hourly rollups' dimensions with a UTC day instead of the hour, and no overflow upstream. */
const DIMENSIONS = [
  'day_start',
  'account_id',
  'api_key_id',
  'model',
  'reasoning_effort',
  'status',
  'error_code',
] as const

const SUMS = [
  'requests',
  'errors',
  'input_tokens',
  'cached_input_tokens',
  'output_tokens',
  'reasoning_tokens',
  'total_tokens',
  'latency_ms_sum',
  'latency_count',
] as const

/**
 * Daily sums of request_logs, kept by the log writer with the hourly rollups: a month's filter
 * options and daily reports read ~30 days of these rather than ~720 hours of rollups. Backfilled
 * from the hourly rollups; a re-run recomputes it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres'
  const bigint = pg ? 'bigint' : 'integer'
  let table: any = db.schema
    .createTable('request_log_daily_rollups')
    .ifNotExists()
    .addColumn('day_start', bigint, (c) => c.notNull())
  for (const d of DIMENSIONS.slice(1)) {
    table = table.addColumn(d, 'text', (c: any) => c.notNull().defaultTo(''))
  }
  for (const s of SUMS) table = table.addColumn(s, bigint, (c: any) => c.notNull().defaultTo(0))
  table = table
    .addColumn('cost_usd', pg ? 'double precision' : 'real', (c: any) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('request_log_daily_rollups_pk', [...DIMENSIONS])
  await (pg ? table : table.modifyEnd(sql`without rowid`)).execute()

  const day = sql.lit(DAY_MS)
  const dims = sql.join(DIMENSIONS.slice(1).map((d) => sql.ref(d)))
  const sums = [...SUMS, 'cost_usd']
  await db.deleteFrom('request_log_daily_rollups').execute()
  await sql`insert into request_log_daily_rollups (day_start, ${dims}, ${sql.join(sums.map((s) => sql.ref(s)))})
    select hour_start - hour_start % ${day}, ${dims}, ${sql.join(sums.map((s) => sql`sum(${sql.ref(s)})`))}
    from request_log_rollups
    group by hour_start - hour_start % ${day}, ${dims}`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('request_log_daily_rollups').ifExists().execute()
}
