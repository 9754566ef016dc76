import type { Kysely, SelectQueryBuilder } from 'kysely'
import type { Database, RequestLogRollupRow } from '../../db/schema.js'
import { DAY_MS } from './facet-rows.js'
import { splitByUnit, type TimeRange } from './hour-split.js'
import type { LogFilter } from './repository.js'
import { filterRange, rollupConditions, rollupParts, type RollupColumn } from './rollup-source.js'

/** What the filter options are made of: every rollup dimension but the hour and the overflow. */
const FACET_COLUMNS = [
  'account_id',
  'api_key_id',
  'model',
  'reasoning_effort',
  'status',
  'error_code',
] as const satisfies readonly RollupColumn[]

/** One distinct combination ('' where the rows hold NULL). */
export type FacetCombo = Pick<RequestLogRollupRow, (typeof FACET_COLUMNS)[number]>

/** Typed as rollup rows, as rollupParts' branches are: only FACET_COLUMNS are read from it. */
type Branch = SelectQueryBuilder<Database, keyof Database, RequestLogRollupRow>

function daysBranch(db: Kysely<Database>, days: TimeRange) {
  const q = db
    .selectFrom('request_log_facets')
    .select(FACET_COLUMNS)
    .$if(days.from !== null, (b) => b.where('day_start', '>=', days.from as number))
    .$if(days.to !== null, (b) => b.where('day_start', '<', days.to as number))
  return db.selectFrom((q as unknown as Branch).as('r'))
}

/**
 * The distinct dimension combinations under `filter`, read in one pass per part instead of one
 * query per facet: the range's whole UTC days from request_log_facets, and the partial days at its
 * ends from the hourly rollups and the rows of their partial hours (rollupParts). Each part is
 * queried on its own (see rollupParts on why not a UNION) and the answers merged here.
 */
export async function facetCombos(db: Kysely<Database>, filter: LogFilter): Promise<FacetCombo[]> {
  const split = splitByUnit(filterRange(filter), DAY_MS)
  const parts = split.edges.flatMap((edge) => rollupParts(db, edge, FACET_COLUMNS))
  if (split.hours !== null) parts.push(daysBranch(db, split.hours))
  const where = rollupConditions(filter)
  const lists = await Promise.all(
    parts.map((p) =>
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
