import {
  DEFAULT_WINDOW_MINUTES,
  planCapacity,
  type LatestWindowRow,
  type PooledWindow,
} from '../usage/index.js'
import { round } from './trends.js'

export type WindowKey = 'primary' | 'secondary'

export interface UsageAccount {
  id: string
  planType: string
  status: string
}

export interface WindowAccountItem {
  accountId: string
  remainingPercentAvg: number
  capacityCredits: number
  remainingCredits: number
}

export interface UsageWindowSummary {
  remainingPercent: number
  capacityCredits: number
  remainingCredits: number
  resetAt: string | null
  windowMinutes: number
}

const clampPercent = (n: number) => Math.min(100, Math.max(0, n))
const serving = (a: UsageAccount) => a.status !== 'paused' && a.status !== 'deactivated'

/** One account's share of a window: remaining % (2 dp) and credits by plan (0 for unknown plans). */
export function windowItem(account: UsageAccount, window: WindowKey, usedPercent: number) {
  const remaining = round(clampPercent(100 - usedPercent), 2)
  const capacity = planCapacity(account.planType, window)
  return {
    accountId: account.id,
    remainingPercentAvg: remaining,
    capacityCredits: capacity,
    remainingCredits: round((capacity * remaining) / 100, 2),
  } satisfies WindowAccountItem
}

/** Latest sample per account of one window; an account without one counts as 0 % used. */
export function windowItems(
  accounts: readonly UsageAccount[],
  latest: readonly LatestWindowRow[],
  window: WindowKey,
): WindowAccountItem[] {
  const used = new Map(
    latest.filter((r) => r.window === window).map((r) => [r.account_id, r.used_percent]),
  )
  return accounts.map((a) => windowItem(a, window, used.get(a.id) ?? 0))
}

/** The largest window length any sample reports, else the original's default (300 / 10080). */
export function windowMinutes(latest: readonly LatestWindowRow[], window: WindowKey): number {
  let minutes: number | null = null
  for (const r of latest) {
    if (r.window === window && r.window_minutes !== null) {
      minutes = Math.max(minutes ?? 0, r.window_minutes)
    }
  }
  return minutes ?? DEFAULT_WINDOW_MINUTES[window]
}

/**
 * The pool's window as the summary shows it. The percentage, earliest reset and window length are
 * pooledUsage()'s (the same numbers the proxy sends in x-codex-* headers); credits apply that
 * percentage to the capacity of the accounts that can serve, so the two never disagree.
 */
export function summaryWindow(
  accounts: readonly UsageAccount[],
  pooled: PooledWindow | null,
  window: WindowKey,
): UsageWindowSummary {
  const pool = accounts.filter(serving)
  const capacity = pool.reduce((sum, a) => sum + planCapacity(a.planType, window), 0)
  // No sample yet: nothing is known to be used (original: no data = 0 % used); no accounts: 0.
  const remaining = pooled
    ? round(clampPercent(100 - pooled.usedPercent), 2)
    : pool.length
      ? 100
      : 0
  return {
    remainingPercent: remaining,
    capacityCredits: capacity,
    remainingCredits: round((capacity * remaining) / 100, 2),
    resetAt: pooled?.resetAt == null ? null : new Date(pooled.resetAt).toISOString(),
    windowMinutes: pooled?.windowMinutes ?? DEFAULT_WINDOW_MINUTES[window],
  }
}

/** Newest `recorded_at` among the latest samples: when usage was last polled successfully. */
export function lastSyncAt(latest: readonly LatestWindowRow[]): string | null {
  let newest: number | null = null
  for (const r of latest) newest = Math.max(newest ?? 0, r.recorded_at)
  return newest === null ? null : new Date(newest).toISOString()
}
