import type { NewRequestLogRow, RequestLogRollupRow } from '../../db/schema.js'

export const HOUR_MS = 3_600_000

/** The dimensions of a rollup row, in primary-key order (the upsert's conflict target). */
export const ROLLUP_DIMENSIONS = [
  'hour_start',
  'account_id',
  'api_key_id',
  'model',
  'reasoning_effort',
  'overflow_upstream_id',
  'status',
  'error_code',
] as const

export const ROLLUP_SUMS = [
  'requests',
  'errors',
  'input_tokens',
  'cached_input_tokens',
  'output_tokens',
  'reasoning_tokens',
  'total_tokens',
  'latency_ms_sum',
  'latency_count',
  'cost_usd',
] as const

export type RollupDelta = RequestLogRollupRow

export const hourStart = (at: number): number => at - (at % HOUR_MS)

const n = (v: number | null | undefined): number => v ?? 0

function keyOf(r: RollupDelta): string {
  return JSON.stringify(ROLLUP_DIMENSIONS.map((d) => r[d]))
}

function emptyDelta(row: NewRequestLogRow): RollupDelta {
  return {
    hour_start: hourStart(row.requested_at),
    // '' stands for NULL: NULLs never conflict in a primary key.
    account_id: row.account_id ?? '',
    api_key_id: row.api_key_id ?? '',
    model: row.model,
    reasoning_effort: row.reasoning_effort ?? '',
    overflow_upstream_id: row.overflow_upstream_id ?? '',
    status: row.status,
    error_code: row.error_code ?? '',
    requests: 0,
    errors: 0,
    input_tokens: 0,
    cached_input_tokens: 0,
    output_tokens: 0,
    reasoning_tokens: 0,
    total_tokens: 0,
    latency_ms_sum: 0,
    latency_count: 0,
    cost_usd: 0,
  }
}

/**
 * A batch of request-log rows folded into one delta per (hour, dimensions), sorted by key: one
 * upsert row per key (PostgreSQL refuses to touch a row twice in one statement), and every writer
 * locks keys in the same order, so two replicas' batches cannot deadlock.
 */
export function rollupDeltas(rows: readonly NewRequestLogRow[]): RollupDelta[] {
  const byKey = new Map<string, RollupDelta>()
  for (const row of rows) {
    const fresh = emptyDelta(row)
    const key = keyOf(fresh)
    const d = byKey.get(key) ?? fresh
    byKey.set(key, d)
    d.requests += 1
    if (row.status !== 'success') d.errors += 1
    d.input_tokens += n(row.input_tokens)
    d.cached_input_tokens += n(row.cached_input_tokens)
    d.output_tokens += n(row.output_tokens)
    d.reasoning_tokens += n(row.reasoning_tokens)
    d.total_tokens += n(row.input_tokens) + n(row.output_tokens ?? row.reasoning_tokens)
    if (row.latency_ms !== null && row.latency_ms !== undefined) {
      d.latency_ms_sum += row.latency_ms
      d.latency_count += 1
    }
    d.cost_usd += n(row.cost_usd)
  }
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, d]) => d)
}
