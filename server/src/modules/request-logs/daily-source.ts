import type { Kysely, SelectQueryBuilder } from 'kysely'
import type { Database, RequestLogRollupRow } from '../../db/schema.js'
import { DAY_MS } from './daily-rollup-rows.js'
import { splitByUnit, type TimeRange } from './hour-split.js'
import type { LogFilter } from './repository.js'
import { filterRange, rollupConditions, rollupParts, type RollupColumn } from './rollup-source.js'

/** What the daily rollups hold: every hourly column but the overflow upstream. */
export type DailyColumn = Exclude<RollupColumn, 'overflow_upstream_id'>

/** Typed as rollup rows, as rollupParts' branches are: only the listed columns are carried. */
type Branch = SelectQueryBuilder<Database, keyof Database, RequestLogRollupRow>

/** Whole days as rollup-shaped rows: a day's start is also an hour's, so hour arithmetic holds. */
function daysBranch(db: Kysely<Database>, days: TimeRange, columns: DailyColumn[]): Branch {
  const q = db
    .selectFrom('request_log_daily_rollups')
    .select(columns.map((c) => (c === 'hour_start' ? 'day_start as hour_start' : c)))
    .$if(days.from !== null, (b) => b.where('day_start', '>=', days.from as number))
    .$if(days.to !== null, (b) => b.where('day_start', '<', days.to as number))
  return q as unknown as Branch
}

/**
 * Like rollupParts, for readers whose buckets are whole UTC days or coarser (the filter options, the
 * daily reports): the range's whole days from request_log_daily_rollups, its partial days at the
 * ends from the hourly rollups and the rows of their partial hours. `hour_start` of a daily row is
 * its day's start. Each part is queried on its own and the caller merges the answers.
 */
export function dailyParts(db: Kysely<Database>, range: TimeRange, wanted: DailyColumn[]) {
  const columns = [...new Set(wanted)]
  const split = splitByUnit(range, DAY_MS)
  const parts = split.edges.flatMap((edge) => rollupParts(db, edge, columns))
  if (split.hours !== null) parts.push(db.selectFrom(daysBranch(db, split.hours, columns).as('r')))
  return parts
}

/** What the filter options are made of. */
const FACET_COLUMNS = [
  'account_id',
  'api_key_id',
  'model',
  'reasoning_effort',
  'status',
  'error_code',
] as const satisfies readonly DailyColumn[]

/** One distinct combination ('' where the rows hold NULL). */
export type FacetCombo = Pick<RequestLogRollupRow, (typeof FACET_COLUMNS)[number]>

/**
 * The distinct dimension combinations under `filter`, one distinct query per part (dailyParts)
 * instead of one scan per facet, merged here.
 */
export async function facetCombos(db: Kysely<Database>, filter: LogFilter): Promise<FacetCombo[]> {
  const where = rollupConditions(filter)
  const lists = await Promise.all(
    dailyParts(db, filterRange(filter), [...FACET_COLUMNS]).map((p) =>
      p
        .select(FACET_COLUMNS.map((c) => `r.${c}` as const))
        .distinct()
        .$if(where.length > 0, (q) => q.where((w) => w.and(where)))
        .execute(),
    ),
  )
  const seen = new Map<string, FacetCombo>()
  for (const c of lists.flat()) {
    const key = FACET_COLUMNS.map((k) => c[k]).join('\u0000')
    if (!seen.has(key)) seen.set(key, c)
  }
  return [...seen.values()]
}
