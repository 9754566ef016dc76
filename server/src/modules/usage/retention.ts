import type { Clock } from '../../lib/clock.js'

const DAY_MS = 86_400_000

/**
 * usage_history gains a row per window per account on every poll (about 600 a day per account at
 * the default interval); 30 days covers the 7-day trends and the longest window several times over.
 */
export const USAGE_HISTORY_RETENTION_DAYS = 30

/** Rows recorded before this instant (epoch ms) are past retention. */
export function usageHistoryCutoff(now: number, retentionDays: number): number {
  if (!Number.isFinite(retentionDays) || retentionDays <= 0) {
    throw new RangeError(`retentionDays must be a positive number, got ${retentionDays}`)
  }
  return now - Math.round(retentionDays * DAY_MS)
}

export interface UsageHistoryPruneTarget {
  deleteOlderThan(cutoff: number): Promise<number>
}

/**
 * Deletes usage samples older than the retention. Deleting an idle account's last sample is safe:
 * after 30 days every window it described has reset, so "no data" (100 % remaining) is the truth.
 */
export class UsageHistoryRetention {
  constructor(
    private readonly repo: UsageHistoryPruneTarget,
    private readonly clock: Clock,
    private readonly retentionDays = USAGE_HISTORY_RETENTION_DAYS,
  ) {}

  /** Returns how many rows were deleted. */
  async pruneUsageHistory(): Promise<number> {
    return this.repo.deleteOlderThan(usageHistoryCutoff(this.clock.now(), this.retentionDays))
  }
}
