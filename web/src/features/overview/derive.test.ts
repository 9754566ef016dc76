import { describe, expect, it } from 'vitest'
import { makeAccount } from '@/test/factories'
import { bucketLogs, summarizePool, totalsFromTrends } from './derive'

const entry = (requestedAt: string, status: string, tokens: number, costUsd: number) => ({
  requestedAt,
  accountId: 'a',
  requestId: requestedAt,
  model: 'gpt-5.5',
  status,
  tokens,
  costUsd,
})

describe('overview fallback from request logs', () => {
  it('buckets the last 7 days into 28 six-hour slots and totals them', () => {
    const now = Date.parse('2026-01-08T13:00:00Z')
    const trends = bucketLogs(
      [
        entry('2026-01-08T12:59:00Z', 'ok', 100, 0.5),
        entry('2026-01-08T12:00:00Z', 'error', 50, 0),
        entry('2026-01-01T00:00:00Z', 'ok', 999, 9), // older than the window
      ],
      now,
    )
    expect(trends.requests).toHaveLength(28)
    expect(trends.requests.at(-1)?.v).toBe(2)
    expect(trends.errorRate.at(-1)?.v).toBe(0.5)
    expect(totalsFromTrends(trends)).toEqual({
      requests: 2,
      tokens: 150,
      costUsd: 0.5,
      errorRate: 0.5,
    })
  })

  it('pools remaining quota weighted by plan capacity, ignoring paused accounts', () => {
    const pool = summarizePool(
      [
        makeAccount({
          planType: 'pro',
          usage: { primaryRemainingPercent: 100, secondaryRemainingPercent: 50 },
        }),
        makeAccount({
          accountId: 'b',
          planType: 'plus',
          usage: { primaryRemainingPercent: 0, secondaryRemainingPercent: 0 },
        }),
        makeAccount({
          accountId: 'c',
          status: 'paused',
          usage: { primaryRemainingPercent: 0, secondaryRemainingPercent: 0 },
        }),
      ],
      () => false,
    )
    expect(pool.total).toBe(3)
    expect(pool.byStatus.paused).toBe(1)
    // pro 1500 at 100 %, plus 225 at 0 % → 1500 / 1725
    expect(pool.primary.remainingPercent).toBeCloseTo((1500 / 1725) * 100)
  })
})
