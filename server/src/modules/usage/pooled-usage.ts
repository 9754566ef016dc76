import type { LatestWindowRow } from './repository.js'

/** Credits per window by plan (reference §5.3); plans without a number weigh by plain mean. */
const CAPACITY: Record<string, { primary: number; secondary: number }> = {
  plus: { primary: 225, secondary: 7560 },
  business: { primary: 225, secondary: 7560 },
  team: { primary: 225, secondary: 7560 },
  pro: { primary: 1500, secondary: 50400 },
}
/** Credits of one account's window by plan; 0 for plans without a published number. */
export function planCapacity(planType: string, window: 'primary' | 'secondary'): number {
  return CAPACITY[planType.toLowerCase()]?.[window] ?? 0
}

/** Window lengths the original assumes before any sample says otherwise (5 h, 7 d). */
export const DEFAULT_WINDOW_MINUTES = { primary: 300, secondary: 10080 }
const PLAN_PRIORITY = [
  'enterprise',
  'business',
  'team',
  'pro',
  'plus',
  'education',
  'edu',
  'free_workspace',
  'free',
  'go',
  'guest',
  'quorum',
  'k12',
]

export interface PoolAccount {
  id: string
  planType: string
  status: string
}

export interface PooledWindow {
  usedPercent: number
  windowMinutes: number
  resetAt: number | null
}

export interface PooledUsage {
  planType: string
  primary: PooledWindow | null
  secondary: PooledWindow | null
  credits: { hasCredits: boolean; unlimited: boolean; balance: number } | null
}

function pooledWindow(
  window: 'primary' | 'secondary',
  accounts: PoolAccount[],
  rows: Map<string, LatestWindowRow>,
): PooledWindow | null {
  let weighted = 0
  let capacity = 0
  let plainSum = 0
  let plainN = 0
  let resetAt: number | null = null
  let minutes: number | null = null
  for (const a of accounts) {
    const row = rows.get(`${a.id}:${window}`)
    if (!row) continue
    const cap = CAPACITY[a.planType.toLowerCase()]?.[window]
    if (cap) {
      weighted += row.used_percent * cap
      capacity += cap
    }
    plainSum += row.used_percent
    plainN++
    if (row.reset_at !== null)
      resetAt = resetAt === null ? row.reset_at : Math.min(resetAt, row.reset_at)
    if (row.window_minutes !== null) minutes = Math.max(minutes ?? 0, row.window_minutes)
  }
  if (plainN === 0) return null
  const used = capacity > 0 ? weighted / capacity : plainSum / plainN
  return {
    usedPercent: Math.min(100, Math.max(0, used)),
    windowMinutes: minutes ?? DEFAULT_WINDOW_MINUTES[window],
    resetAt,
  }
}

/**
 * The pool's usage as one account would show it: capacity-weighted used % of the accounts that
 * can serve (not paused or deactivated), the earliest reset, credits summed.
 */
export function pooledUsage(all: PoolAccount[], latest: LatestWindowRow[]): PooledUsage {
  const accounts = all.filter((a) => a.status !== 'paused' && a.status !== 'deactivated')
  const rows = new Map(latest.map((r) => [`${r.account_id}:${r.window}`, r]))
  let credits: PooledUsage['credits'] = null
  for (const a of accounts) {
    const row = rows.get(`${a.id}:primary`)
    if (!row || row.credits_has === null) continue
    credits ??= { hasCredits: false, unlimited: false, balance: 0 }
    credits.hasCredits ||= row.credits_has === 1 || row.credits_unlimited === 1
    credits.unlimited ||= row.credits_unlimited === 1
    if (row.credits_unlimited !== 1) credits.balance += row.credits_balance ?? 0
  }
  const plans = [...new Set(accounts.map((a) => a.planType.toLowerCase()))]
  const planType =
    plans.length === 0
      ? 'guest'
      : plans.length === 1
        ? plans[0]!
        : (PLAN_PRIORITY.find((p) => plans.includes(p)) ?? plans[0]!)
  return {
    planType,
    primary: pooledWindow('primary', accounts, rows),
    secondary: pooledWindow('secondary', accounts, rows),
    credits,
  }
}

/** `x-codex-*` headers the Codex CLI reads to show remaining quota. */
export function rateLimitHeaders(u: PooledUsage): Record<string, string> {
  const h: Record<string, string> = {}
  for (const name of ['primary', 'secondary'] as const) {
    const w = u[name]
    if (!w) continue
    h[`x-codex-${name}-used-percent`] = String(Math.round(w.usedPercent * 100) / 100)
    h[`x-codex-${name}-window-minutes`] = String(w.windowMinutes)
    if (w.resetAt !== null) h[`x-codex-${name}-reset-at`] = String(Math.floor(w.resetAt / 1000))
  }
  if (u.credits) {
    h['x-codex-credits-has-credits'] = String(u.credits.hasCredits)
    h['x-codex-credits-unlimited'] = String(u.credits.unlimited)
    h['x-codex-credits-balance'] = u.credits.balance.toFixed(2)
  }
  return h
}

/** The body of `GET /api/codex/usage` (Codex CLI's rate-limit status shape, snake_case). */
export function codexUsageBody(u: PooledUsage, now: number) {
  const snapshot = (w: PooledWindow | null) =>
    w && w.resetAt !== null
      ? {
          used_percent: Math.trunc(w.usedPercent),
          limit_window_seconds: w.windowMinutes * 60,
          reset_after_seconds: Math.max(0, Math.floor((w.resetAt - now) / 1000)),
          reset_at: Math.floor(w.resetAt / 1000),
        }
      : null
  const primary = snapshot(u.primary)
  const secondary = snapshot(u.secondary)
  const limitReached = [u.primary, u.secondary].some((w) => w !== null && w.usedPercent >= 100)
  return {
    plan_type: u.planType,
    rate_limit:
      primary || secondary
        ? {
            allowed: !limitReached,
            limit_reached: limitReached,
            primary_window: primary,
            secondary_window: secondary,
          }
        : null,
    credits: u.credits
      ? {
          has_credits: u.credits.hasCredits,
          unlimited: u.credits.unlimited,
          balance: String(Math.round(u.credits.balance * 100) / 100),
          approx_local_messages: null,
          approx_cloud_messages: null,
        }
      : null,
  }
}
