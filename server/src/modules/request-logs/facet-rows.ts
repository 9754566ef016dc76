import type { Transaction } from 'kysely'
import type { Database, RequestLogFacetsTable } from '../../db/schema.js'
import type { RollupDelta } from './rollup-rows.js'

export const DAY_MS = 86_400_000

/** The dimensions of a facet row, in primary-key order (the upsert's conflict target). */
export const FACET_DIMENSIONS = [
  'day_start',
  'account_id',
  'api_key_id',
  'model',
  'reasoning_effort',
  'status',
  'error_code',
] as const

/** Rows per statement, as for the rollups (8 parameters a row). */
const ROWS_PER_STATEMENT = 1000

/**
 * A batch's rollup deltas folded into one facet delta per (day, dimensions), in key order: one
 * upsert row per key, and every writer locks keys in the same order (no deadlock between replicas).
 */
export function facetDeltas(rollups: readonly RollupDelta[]): RequestLogFacetsTable[] {
  const byKey = new Map<string, RequestLogFacetsTable>()
  for (const r of rollups) {
    const d: RequestLogFacetsTable = {
      day_start: r.hour_start - (r.hour_start % DAY_MS),
      account_id: r.account_id,
      api_key_id: r.api_key_id,
      model: r.model,
      reasoning_effort: r.reasoning_effort,
      status: r.status,
      error_code: r.error_code,
      requests: 0,
    }
    const key = JSON.stringify(FACET_DIMENSIONS.map((k) => d[k]))
    const seen = byKey.get(key) ?? d
    byKey.set(key, seen)
    seen.requests += r.requests
  }
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, d]) => d)
}

/** Adds a batch's facet deltas in the writer's transaction. */
export async function upsertFacets(
  trx: Transaction<Database>,
  rollups: readonly RollupDelta[],
): Promise<void> {
  const deltas = facetDeltas(rollups)
  for (let i = 0; i < deltas.length; i += ROWS_PER_STATEMENT) {
    await trx
      .insertInto('request_log_facets')
      .values(deltas.slice(i, i + ROWS_PER_STATEMENT))
      .onConflict((oc) =>
        oc.columns([...FACET_DIMENSIONS]).doUpdateSet((eb) => ({
          requests: eb('request_log_facets.requests', '+', eb.ref('excluded.requests')),
        })),
      )
      .execute()
  }
}
