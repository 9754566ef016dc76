import type { UsageSampleRow } from './repository.js'
import type { TrendPoint } from './schemas.js'

export const TREND_HOURS = 168
const HOUR_MS = 3_600_000

/** Start of the first hourly bucket of the 7-day window ending with the current hour. */
export function trendsStart(now: number): number {
  return Math.floor(now / HOUR_MS) * HOUR_MS - (TREND_HOURS - 1) * HOUR_MS
}

/**
 * 168 hourly points of remaining % (100 − mean used in the hour), clamped to 0..100 with 2
 * decimals; hours without samples repeat the previous value (100 before the first). A window with
 * no samples at all yields [] (original-admin §6).
 */
export function buildTrendSeries(samples: UsageSampleRow[], now: number): TrendPoint[] {
  if (samples.length === 0) return []
  const start = trendsStart(now)
  const sums = new Array<number>(TREND_HOURS).fill(0)
  const counts = new Array<number>(TREND_HOURS).fill(0)
  for (const s of samples) {
    const i = Math.floor((s.recorded_at - start) / HOUR_MS)
    if (i < 0 || i >= TREND_HOURS) continue
    sums[i]! += s.used_percent
    counts[i]! += 1
  }
  const points: TrendPoint[] = []
  let last = 100
  for (let i = 0; i < TREND_HOURS; i++) {
    const n = counts[i]!
    if (n > 0) last = Math.round(Math.min(100, Math.max(0, 100 - sums[i]! / n)) * 100) / 100
    points.push({ t: new Date(start + i * HOUR_MS).toISOString(), v: last })
  }
  return points
}

export function buildTrends(
  samples: UsageSampleRow[],
  now: number,
): { primary: TrendPoint[]; secondary: TrendPoint[] } {
  return {
    primary: buildTrendSeries(
      samples.filter((s) => s.window === 'primary'),
      now,
    ),
    secondary: buildTrendSeries(
      samples.filter((s) => s.window === 'secondary'),
      now,
    ),
  }
}
