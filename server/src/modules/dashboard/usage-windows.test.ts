import { describe, expect, it } from 'vitest'
import type { LatestWindowRow } from '../usage/index.js'
import { buildTrends, sumBuckets, trendStart, TREND_BUCKET_MS } from './trends.js'
import { lastSyncAt, summaryWindow, windowItems, windowMinutes } from './usage-windows.js'

const row = (account_id: string, used_percent: number, recorded_at = 0): LatestWindowRow => ({
  account_id,
  window: 'primary',
  used_percent,
  reset_at: null,
  window_minutes: null,
  credits_has: null,
  credits_unlimited: null,
  credits_balance: null,
  recorded_at,
})

describe('summaryWindow', () => {
  const plus = { id: 'a', planType: 'plus', status: 'active' }
  const paused = { id: 'p', planType: 'pro', status: 'paused' }

  it('is 0 % of nothing for an empty pool, 100 % when no sample exists yet', () => {
    expect(summaryWindow([], null, 'primary')).toEqual({
      remainingPercent: 0,
      capacityCredits: 0,
      remainingCredits: 0,
      resetAt: null,
      windowMinutes: 300,
    })
    expect(summaryWindow([plus, paused], null, 'secondary')).toMatchObject({
      remainingPercent: 100,
      capacityCredits: 7560,
      remainingCredits: 7560,
      windowMinutes: 10080,
    })
  })

  it('applies the pooled percentage to the serving capacity', () => {
    const pooled = { usedPercent: 33.333, windowMinutes: 300, resetAt: Date.UTC(2026, 0, 1) }
    expect(summaryWindow([plus, paused], pooled, 'primary')).toEqual({
      remainingPercent: 66.67,
      capacityCredits: 225,
      remainingCredits: 150.01,
      resetAt: '2026-01-01T00:00:00.000Z',
      windowMinutes: 300,
    })
  })
})

describe('windowItems / windowMinutes / lastSyncAt', () => {
  it('gives every account an item, clamping used % to 0..100', () => {
    const accounts = [
      { id: 'a', planType: 'pro', status: 'active' },
      { id: 'b', planType: 'weird', status: 'deactivated' },
      { id: 'c', planType: 'plus', status: 'active' },
    ]
    expect(windowItems(accounts, [row('a', 120), row('b', -5)], 'primary')).toEqual([
      { accountId: 'a', remainingPercentAvg: 0, capacityCredits: 1500, remainingCredits: 0 },
      { accountId: 'b', remainingPercentAvg: 100, capacityCredits: 0, remainingCredits: 0 },
      { accountId: 'c', remainingPercentAvg: 100, capacityCredits: 225, remainingCredits: 225 },
    ])
  })

  it('takes the longest reported window and the newest sample time', () => {
    expect(windowMinutes([], 'primary')).toBe(300)
    expect(windowMinutes([{ ...row('a', 1), window_minutes: 360 }], 'primary')).toBe(360)
    expect(lastSyncAt([])).toBeNull()
    expect(lastSyncAt([row('a', 1, 1000), row('b', 1, 5000)])).toBe('1970-01-01T00:00:05.000Z')
  })
})

describe('trends', () => {
  it('starts 27 buckets before the one holding now, on 6-hour boundaries', () => {
    const now = Date.UTC(2026, 10, 20, 5, 59, 59)
    expect(trendStart(now)).toBe(Date.UTC(2026, 10, 20, 0) - 27 * TREND_BUCKET_MS)
    expect(trendStart(now) % TREND_BUCKET_MS).toBe(0)
  })

  it('rounds cost to 6 and error rate to 4 decimals; idle buckets have rate 0', () => {
    const b = (requests: number, errors: number, cost: number) => ({
      requests,
      errors,
      cost_usd: cost,
      tokens: 1,
      cached_tokens: 0,
    })
    const trends = buildTrends(0, [b(3, 1, 0.12345678), b(0, 0, 0)])
    expect(trends.cost.map((p) => p.v)).toEqual([0.123457, 0])
    expect(trends.errorRate.map((p) => p.v)).toEqual([0.3333, 0])
    expect(trends.requests[1]).toEqual({ t: '1970-01-01T06:00:00.000Z', v: 0 })
    expect(sumBuckets([b(3, 1, 0.5), b(2, 2, 0.25)])).toMatchObject({
      requests: 5,
      errors: 3,
      cost_usd: 0.75,
      tokens: 2,
    })
  })
})
