import { describe, expect, it } from 'vitest'
import { codexUsageBody, pooledUsage, rateLimitHeaders } from './pooled-usage.js'
import type { LatestWindowRow } from './repository.js'

const NOW = 1_800_000_000_000

function row(
  account: string,
  window: 'primary' | 'secondary',
  used: number,
  over: Partial<LatestWindowRow> = {},
): LatestWindowRow {
  return {
    account_id: account,
    window,
    used_percent: used,
    reset_at: NOW + 3_600_000,
    window_minutes: window === 'primary' ? 300 : 10080,
    credits_has: null,
    credits_unlimited: null,
    credits_balance: null,
    recorded_at: NOW,
    ...over,
  }
}

describe('pooledUsage', () => {
  it('weighs accounts by plan capacity (plus 10% and 30% → 20%)', () => {
    const u = pooledUsage(
      [
        { id: 'a', planType: 'plus', status: 'active' },
        { id: 'b', planType: 'plus', status: 'active' },
      ],
      [row('a', 'primary', 10), row('b', 'primary', 30)],
    )
    const body = codexUsageBody(u, NOW)
    expect(body.rate_limit?.primary_window).toEqual({
      used_percent: 20,
      limit_window_seconds: 18000,
      reset_after_seconds: 3600,
      reset_at: Math.floor((NOW + 3_600_000) / 1000),
    })
    expect(body.plan_type).toBe('plus')
  })

  it('gives a pro account more weight than a plus one', () => {
    const u = pooledUsage(
      [
        { id: 'a', planType: 'plus', status: 'active' },
        { id: 'b', planType: 'pro', status: 'active' },
      ],
      [row('a', 'secondary', 100), row('b', 'secondary', 0)],
    )
    expect(u.secondary?.usedPercent).toBeCloseTo((100 * 7560) / (7560 + 50400), 5)
    expect(u.planType).toBe('pro')
  })

  it('ignores paused and deactivated accounts and reports guest when none remain', () => {
    const u = pooledUsage(
      [{ id: 'a', planType: 'plus', status: 'paused' }],
      [row('a', 'primary', 50)],
    )
    expect(codexUsageBody(u, NOW)).toEqual({ plan_type: 'guest', rate_limit: null, credits: null })
    expect(rateLimitHeaders(u)).toEqual({})
  })

  it('sums credits and formats the headers', () => {
    const u = pooledUsage(
      [
        { id: 'a', planType: 'plus', status: 'active' },
        { id: 'b', planType: 'plus', status: 'active' },
      ],
      [
        row('a', 'primary', 25, { credits_has: 1, credits_unlimited: 0, credits_balance: 10 }),
        row('b', 'primary', 25, { credits_has: 0, credits_unlimited: 0, credits_balance: 2.5 }),
      ],
    )
    expect(rateLimitHeaders(u)).toMatchObject({
      'x-codex-primary-used-percent': '25',
      'x-codex-primary-window-minutes': '300',
      'x-codex-credits-has-credits': 'true',
      'x-codex-credits-unlimited': 'false',
      'x-codex-credits-balance': '12.50',
    })
  })
})
