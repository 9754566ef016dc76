import type { Kysely } from 'kysely'
import type { Database, RequestLogDailyRollupsTable } from '../../db/schema.js'
import { ROLLUP_SUMS, type RollupDelta } from './rollup-rows.js'
import type { CompileRows, Statement } from './statement-shapes.js'

export const DAY_MS = 86_400_000

/** The dimensions of a daily rollup row, in primary-key order (the upsert's conflict target). */
export const DAILY_DIMENSIONS = [
  'day_start',
  'account_id',
  'api_key_id',
  'model',
  'reasoning_effort',
  'status',
  'error_code',
] as const

/** Rows per statement, as for the hourly rollups. */
const ROWS_PER_STATEMENT = 1000

type DailyDelta = RequestLogDailyRollupsTable

/**
 * A batch's hourly deltas folded into one daily delta per (day, dimensions), in key order: one
 * upsert row per key, and every writer locks keys in the same order (no deadlock between replicas).
 */
export function dailyDeltas(hourly: readonly RollupDelta[]): DailyDelta[] {
  const byKey = new Map<string, DailyDelta>()
  for (const h of hourly) {
    const { hour_start, overflow_upstream_id: _, ...rest } = h
    const fresh: DailyDelta = { ...rest, day_start: hour_start - (hour_start % DAY_MS) }
    const key = JSON.stringify(DAILY_DIMENSIONS.map((k) => fresh[k]))
    const seen = byKey.get(key)
    if (!seen) byKey.set(key, fresh)
    else for (const s of ROLLUP_SUMS) seen[s] += h[s]
  }
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, d]) => d)
}

/** The upserts that add a batch's daily deltas (run in the writer's transaction). */
export function dailyRollupStatements(
  db: Kysely<Database>,
  hourly: readonly RollupDelta[],
  compile: CompileRows,
): Statement[] {
  const deltas = dailyDeltas(hourly)
  const build = (values: DailyDelta[]) =>
    db
      .insertInto('request_log_daily_rollups')
      .values(values)
      .onConflict((oc) =>
        oc
          .columns([...DAILY_DIMENSIONS])
          .doUpdateSet((eb) =>
            Object.fromEntries(
              ROLLUP_SUMS.map((s) => [
                s,
                eb(`request_log_daily_rollups.${s}`, '+', eb.ref(`excluded.${s}`)),
              ]),
            ),
          ),
      )
  const statements: Statement[] = []
  for (let i = 0; i < deltas.length; i += ROWS_PER_STATEMENT) {
    statements.push(compile(deltas.slice(i, i + ROWS_PER_STATEMENT), build))
  }
  return statements
}
