import { sql, type Kysely } from 'kysely'
import { dialectOf } from '../dialect.js'

// Migrations take Kysely<any> and never import app types: they describe the schema as it was then.
/* eslint-disable @typescript-eslint/no-explicit-any */

const DAY_MS = 86_400_000

/** The dimensions of one facet row: the rollups' without the hour (a day) and the overflow upstream. */
const DIMENSIONS = [
  'day_start',
  'account_id',
  'api_key_id',
  'model',
  'reasoning_effort',
  'status',
  'error_code',
] as const

/**
 * Which dimension combinations each UTC day holds (with their request counts), kept by the log writer
 * with the hourly rollups: the filter options of 30 days read ~30 days of these rather than ~720
 * hours of rollups. Backfilled from the rollups; a re-run recomputes it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres'
  let table: any = db.schema
    .createTable('request_log_facets')
    .ifNotExists()
    .addColumn('day_start', pg ? 'bigint' : 'integer', (c) => c.notNull())
  for (const d of DIMENSIONS.slice(1)) {
    table = table.addColumn(d, 'text', (c: any) => c.notNull().defaultTo(''))
  }
  table = table
    .addColumn('requests', pg ? 'bigint' : 'integer', (c: any) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('request_log_facets_pk', [...DIMENSIONS])
  await (pg ? table : table.modifyEnd(sql`without rowid`)).execute()

  const day = sql.lit(DAY_MS)
  const dims = sql.join(DIMENSIONS.slice(1).map((d) => sql.ref(d)))
  await db.deleteFrom('request_log_facets').execute()
  await sql`insert into request_log_facets (day_start, ${dims}, requests)
    select hour_start - hour_start % ${day}, ${dims}, sum(requests)
    from request_log_rollups
    group by hour_start - hour_start % ${day}, ${dims}`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('request_log_facets').ifExists().execute()
}
