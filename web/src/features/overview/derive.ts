import type { AccountSummary, RequestLogEntry, TrendPoint } from '@codex-lb/shared'

// Credits per window by plan, as the original weights pooled usage (plus/team/business vs pro).
const CAPACITY: Record<string, { primary: number; secondary: number }> = {
  plus: { primary: 225, secondary: 7560 },
  team: { primary: 225, secondary: 7560 },
  business: { primary: 225, secondary: 7560 },
  pro: { primary: 1500, secondary: 50400 },
}

export interface PoolWindow {
  remainingPercent: number | null
  resetAt: string | null
}

export interface PoolSummary {
  total: number
  byStatus: Record<AccountSummary['status'], number>
  needsRelogin: number
  primary: PoolWindow
  secondary: PoolWindow
}

/**
 * Pooled remaining % weighted by each plan's capacity; accounts of unknown plans count with weight 1
 * only when no account has a known capacity (better a plain mean than nothing).
 */
function pooledRemaining(accounts: AccountSummary[], window: 'primary' | 'secondary'): PoolWindow {
  const usable = accounts.filter((a) => a.status !== 'paused' && a.status !== 'deactivated')
  let weight = 0
  let sum = 0
  const known = usable.some((a) => CAPACITY[a.planType ?? ''])
  for (const a of usable) {
    const w = known ? (CAPACITY[a.planType ?? '']?.[window] ?? 0) : 1
    const value =
      window === 'primary' ? a.usage?.primaryRemainingPercent : a.usage?.secondaryRemainingPercent
    if (!w) continue
    weight += w
    sum += w * (value ?? 100)
  }
  const resets = usable
    .map((a) => (window === 'primary' ? a.resetAtPrimary : a.resetAtSecondary))
    .filter((v): v is string => !!v)
    .sort()
  return { remainingPercent: weight ? sum / weight : null, resetAt: resets[0] ?? null }
}

export function summarizePool(
  accounts: AccountSummary[],
  isRelogin: (a: AccountSummary) => boolean,
): PoolSummary {
  const byStatus = { active: 0, rate_limited: 0, quota_exceeded: 0, paused: 0, deactivated: 0 }
  for (const a of accounts) byStatus[a.status] += 1
  return {
    total: accounts.length,
    byStatus,
    needsRelogin: accounts.filter(isRelogin).length,
    primary: pooledRemaining(accounts, 'primary'),
    secondary: pooledRemaining(accounts, 'secondary'),
  }
}

export interface Trends {
  requests: TrendPoint[]
  tokens: TrendPoint[]
  cost: TrendPoint[]
  errorRate: TrendPoint[]
}

export interface Totals {
  requests: number
  tokens: number
  costUsd: number
  errorRate: number | null
}

const BUCKET_MS = 6 * 3_600_000
const BUCKETS = 28

/** 28 six-hour buckets ending now, the same shape the overview endpoint returns. */
export function bucketLogs(requests: RequestLogEntry[], now = Date.now()): Trends {
  const end = Math.floor(now / BUCKET_MS) * BUCKET_MS + BUCKET_MS
  const start = end - BUCKETS * BUCKET_MS
  const rows = Array.from({ length: BUCKETS }, () => ({ n: 0, tokens: 0, cost: 0, errors: 0 }))
  for (const r of requests) {
    const t = Date.parse(r.requestedAt)
    if (Number.isNaN(t) || t < start || t >= end) continue
    const row = rows[Math.floor((t - start) / BUCKET_MS)]
    if (!row) continue
    row.n += 1
    row.tokens += r.tokens ?? 0
    row.cost += r.costUsd ?? 0
    if (r.status !== 'ok') row.errors += 1
  }
  const at = (i: number) => new Date(start + i * BUCKET_MS).toISOString()
  return {
    requests: rows.map((r, i) => ({ t: at(i), v: r.n })),
    tokens: rows.map((r, i) => ({ t: at(i), v: r.tokens })),
    cost: rows.map((r, i) => ({ t: at(i), v: r.cost })),
    errorRate: rows.map((r, i) => ({ t: at(i), v: r.n ? r.errors / r.n : 0 })),
  }
}

export function totalsFromTrends(trends: Trends): Totals {
  const sum = (points: TrendPoint[]) => points.reduce((acc, p) => acc + p.v, 0)
  const requests = sum(trends.requests)
  const errors = trends.errorRate.reduce((acc, p, i) => acc + p.v * (trends.requests[i]?.v ?? 0), 0)
  return {
    requests,
    tokens: sum(trends.tokens),
    costUsd: sum(trends.cost),
    errorRate: requests ? errors / requests : null,
  }
}
