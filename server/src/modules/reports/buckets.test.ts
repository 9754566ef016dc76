import { describe, expect, it } from 'vitest'
import { bucketStart, bucketStarts, nextBucketStart } from './buckets.js'

const utc = (text: string) => Date.parse(text)
const iso = (ms: number) => new Date(ms).toISOString()

describe('report buckets (UTC)', () => {
  it.each([
    ['2026-11-22T23:59:59.999Z', 'day', '2026-11-22T00:00:00.000Z'],
    ['2026-11-23T00:00:00.000Z', 'day', '2026-11-23T00:00:00.000Z'],
    // 2026-11-22 is a Sunday: its last millisecond is still the week of Monday the 16th.
    ['2026-11-22T23:59:59.999Z', 'week', '2026-11-16T00:00:00.000Z'],
    ['2026-11-23T00:00:00.000Z', 'week', '2026-11-23T00:00:00.000Z'],
    ['2026-11-25T12:00:00.000Z', 'week', '2026-11-23T00:00:00.000Z'],
    ['2026-11-30T23:59:59.999Z', 'month', '2026-11-01T00:00:00.000Z'],
    ['2026-12-01T00:00:00.000Z', 'month', '2026-12-01T00:00:00.000Z'],
    ['1969-12-31T12:00:00.000Z', 'day', '1969-12-31T00:00:00.000Z'],
  ] as const)('%s in a %s bucket starts at %s', (at, bucket, start) => {
    expect(iso(bucketStart(utc(at), bucket))).toBe(start)
  })

  it('steps to the next bucket, months by the calendar', () => {
    expect(iso(nextBucketStart(utc('2026-01-01T00:00:00Z'), 'month'))).toBe(
      '2026-02-01T00:00:00.000Z',
    )
    expect(iso(nextBucketStart(utc('2026-12-01T00:00:00Z'), 'month'))).toBe(
      '2027-01-01T00:00:00.000Z',
    )
    expect(iso(nextBucketStart(utc('2026-11-16T00:00:00Z'), 'week'))).toBe(
      '2026-11-23T00:00:00.000Z',
    )
  })

  it('lists every bucket a range touches, partial ones at both ends', () => {
    const starts = bucketStarts(utc('2026-10-15T10:00:00Z'), utc('2026-12-02T00:00:00Z'), 'month')
    expect(starts.map(iso)).toEqual([
      '2026-10-01T00:00:00.000Z',
      '2026-11-01T00:00:00.000Z',
      '2026-12-01T00:00:00.000Z',
    ])
    expect(
      bucketStarts(utc('2026-11-22T10:00:00Z'), utc('2026-11-22T11:00:00Z'), 'day'),
    ).toHaveLength(1)
  })
})
