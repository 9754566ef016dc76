import type { LogAggregate } from '../request-logs/index.js'

/** The overview's trends: 28 six-hour buckets, the last one holding "now" (original-admin §5.1). */
export const TREND_BUCKET_MS = 6 * 3_600_000
export const TREND_BUCKETS = 28

export interface TrendPoint {
  t: string
  v: number
}

export interface OverviewTrends {
  requests: TrendPoint[]
  tokens: TrendPoint[]
  cost: TrendPoint[]
  errorRate: TrendPoint[]
}

/** Rounds to `digits` decimals (Math.round: half up, fine for the non-negative values shown). */
export const round = (n: number, digits: number): number =>
  Math.round(n * 10 ** digits) / 10 ** digits

/**
 * Start of the first bucket. The original takes since = now − 7 d and starts at the bucket after
 * the one holding `since`; with 7 d = 28 buckets that is the same instant.
 */
export function trendStart(now: number): number {
  return Math.floor(now / TREND_BUCKET_MS) * TREND_BUCKET_MS - (TREND_BUCKETS - 1) * TREND_BUCKET_MS
}

/** One point per bucket: counts, input+output tokens, USD (6 dp), error share (4 dp, 0 if idle). */
export function buildTrends(start: number, buckets: readonly LogAggregate[]): OverviewTrends {
  const at = (i: number) => new Date(start + i * TREND_BUCKET_MS).toISOString()
  const series = (value: (b: LogAggregate) => number) =>
    buckets.map((b, i) => ({ t: at(i), v: value(b) }))
  return {
    requests: series((b) => b.requests),
    tokens: series((b) => b.tokens),
    cost: series((b) => round(b.cost_usd, 6)),
    errorRate: series((b) => (b.requests ? round(b.errors / b.requests, 4) : 0)),
  }
}

/** The buckets folded into one aggregate, so the 7-day totals equal the sum of the trend points. */
export function sumBuckets(buckets: readonly LogAggregate[]): LogAggregate {
  const total: LogAggregate = { requests: 0, tokens: 0, cached_tokens: 0, errors: 0, cost_usd: 0 }
  for (const b of buckets) {
    total.requests += b.requests
    total.tokens += b.tokens
    total.cached_tokens += b.cached_tokens
    total.errors += b.errors
    total.cost_usd += b.cost_usd
  }
  return total
}
