import type { LimitPeriod } from '@codex-lb/shared'
import { WINDOW_MS } from '../api-keys/limits.js'
import type { HourlyKeyUsageRow, KeyLimitRow } from './repository.js'

/** A limit's window as epoch ms: [start, end). */
export interface Period {
  start: number
  end: number
}

/**
 * The windows of a limit that meet [since, until]. A limit's windows are rolling, anchored at its
 * reset time (seed 002: `monthly` is 30 days), so they are laid back and forth from `reset_at` in
 * steps of the window; a reset of its usage moves the anchor, and past windows are drawn from the
 * current one.
 */
export function limitPeriods(limit: KeyLimitRow, since: number, until: number): Period[] {
  const length = WINDOW_MS[limit.limit_window]
  const first = limit.reset_at + Math.floor((since - limit.reset_at) / length) * length
  const out: Period[] = []
  for (let start = first; start <= until; start += length) out.push({ start, end: start + length })
  return out
}

/** What one request-log sum counts against a limit of this type (micro-dollars for cost). */
function usageOf(limit: KeyLimitRow, row: HourlyKeyUsageRow): number {
  switch (limit.limit_type) {
    case 'total_tokens':
      return row.input_tokens + row.output_tokens
    case 'input_tokens':
      return row.input_tokens
    case 'output_tokens':
      return row.output_tokens
    case 'cost_usd':
      return row.cost_usd * 1_000_000
  }
}

/**
 * Usage per period from hourly sums: an hour counts in the period its start falls in, so a window
 * boundary inside an hour is read to the hour (what hourly rollups can answer).
 */
export function periodUsage(
  limit: KeyLimitRow,
  periods: readonly Period[],
  hours: readonly HourlyKeyUsageRow[],
): LimitPeriod[] {
  const used = periods.map(() => 0)
  const first = periods[0]
  if (first !== undefined) {
    const length = first.end - first.start
    for (const hour of hours) {
      if (limit.model_filter !== null && hour.model !== limit.model_filter) continue
      const index = Math.floor((hour.hour_start - first.start) / length)
      if (index >= 0 && index < used.length) used[index] = (used[index] ?? 0) + usageOf(limit, hour)
    }
  }
  return periods.map(({ start, end }, i) => ({
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    used: Math.round(used[i] ?? 0),
  }))
}
