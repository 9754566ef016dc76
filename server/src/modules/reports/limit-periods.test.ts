import { describe, expect, it } from 'vitest'
import { limitPeriods, periodUsage } from './limit-periods.js'
import type { HourlyKeyUsageRow, KeyLimitRow } from './repository.js'

const DAY = 86_400_000
const HOUR = 3_600_000
const R = Date.UTC(2026, 10, 20, 6)

function limit(overrides: Partial<KeyLimitRow> = {}): KeyLimitRow {
  return {
    id: 1,
    limit_type: 'total_tokens',
    limit_window: 'daily',
    max_value: 1000,
    model_filter: null,
    reset_at: R,
    ...overrides,
  }
}

const hour = (at: number, model: string, input: number, output: number, cost = 0) =>
  ({
    hour_start: at,
    model,
    input_tokens: input,
    output_tokens: output,
    cost_usd: cost,
  }) satisfies HourlyKeyUsageRow

describe('limit periods', () => {
  it('lays rolling windows from the reset time, back and forth, over the range', () => {
    const periods = limitPeriods(limit(), R - 2 * DAY + HOUR, R + DAY + HOUR)
    expect(periods.map((p) => (p.start - R) / DAY)).toEqual([-2, -1, 0, 1])
    expect(periods.every((p) => p.end - p.start === DAY)).toBe(true)
    // monthly is 30 days, not a calendar month
    const monthly = limitPeriods(limit({ limit_window: 'monthly' }), R, R + 31 * DAY)
    expect(monthly.map((p) => (p.start - R) / DAY)).toEqual([0, 30])
  })

  it('counts each hour in its period, in the limit’s unit and for its model only', () => {
    const periods = limitPeriods(limit(), R - DAY, R + DAY - 1)
    const hours = [
      hour(R - DAY, 'gpt-5', 10, 5, 0.5),
      hour(R - HOUR, 'gpt-5', 1, 1),
      hour(R, 'gpt-5', 100, 50, 0.25),
      hour(R + 2 * HOUR, 'o3', 7, 3, 1),
    ]
    const used = (l: KeyLimitRow) => periodUsage(l, periods, hours).map((p) => p.used)
    expect(used(limit())).toEqual([17, 160])
    expect(used(limit({ limit_type: 'input_tokens' }))).toEqual([11, 107])
    expect(used(limit({ limit_type: 'output_tokens', model_filter: 'gpt-5' }))).toEqual([6, 50])
    expect(used(limit({ limit_type: 'cost_usd' }))).toEqual([500_000, 1_250_000])
    expect(periodUsage(limit(), periods, hours)[1]?.start).toBe(new Date(R).toISOString())
  })
})
