import { describe, expect, it } from 'vitest'
import { UsageHistoryRetention, usageHistoryCutoff } from './retention.js'

const DAY = 86_400_000

describe('usage history retention', () => {
  it('cuts off whole days before now and refuses non-positive retention', () => {
    expect(usageHistoryCutoff(100 * DAY, 30)).toBe(70 * DAY)
    expect(() => usageHistoryCutoff(0, 0)).toThrow(RangeError)
    expect(() => usageHistoryCutoff(0, Number.NaN)).toThrow(RangeError)
  })

  it('deletes rows recorded before the cutoff (30 days by default)', async () => {
    const cutoffs: number[] = []
    const retention = new UsageHistoryRetention(
      { deleteOlderThan: async (cutoff) => (cutoffs.push(cutoff), 4) },
      { now: () => 40 * DAY },
    )
    expect(await retention.pruneUsageHistory()).toBe(4)
    expect(cutoffs).toEqual([10 * DAY])
  })
})
