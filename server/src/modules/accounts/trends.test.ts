import { describe, expect, it } from 'vitest'
import { TREND_HOURS, buildTrends, trendsStart } from './trends.js'

const HOUR = 3_600_000
const now = Date.parse('2026-03-10T12:34:00Z')
const start = trendsStart(now)

describe('buildTrends', () => {
  it('returns [] for a window without samples', () => {
    expect(buildTrends([], now)).toEqual({ primary: [], secondary: [] })
  })

  it('averages per hour, forward-fills gaps and starts at 100', () => {
    const samples = [
      { window: 'primary' as const, recorded_at: start + 2 * HOUR + 5, used_percent: 10 },
      { window: 'primary' as const, recorded_at: start + 2 * HOUR + 9, used_percent: 20.333 },
      { window: 'primary' as const, recorded_at: start - HOUR, used_percent: 99 },
    ]
    const { primary, secondary } = buildTrends(samples, now)
    expect(primary).toHaveLength(TREND_HOURS)
    expect(secondary).toEqual([])
    expect(primary[0]).toEqual({ t: new Date(start).toISOString(), v: 100 })
    expect(primary[1]!.v).toBe(100)
    expect(primary[2]!.v).toBe(84.83)
    expect(primary[TREND_HOURS - 1]).toEqual({ t: '2026-03-10T12:00:00.000Z', v: 84.83 })
  })
})
