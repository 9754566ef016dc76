import type { ReportBucket } from '@codex-lb/shared'

export const HOUR_MS = 3_600_000
export const DAY_MS = 86_400_000

/** The UTC day holding `ms` (epoch days are UTC days: no leap seconds in epoch time). */
export function utcDayStart(ms: number): number {
  return ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS)
}

/** Start of the UTC bucket holding `ms`: the day, the week from Monday, the calendar month. */
export function bucketStart(ms: number, bucket: ReportBucket): number {
  const day = utcDayStart(ms)
  if (bucket === 'day') return day
  if (bucket === 'week') {
    // getUTCDay: Sunday 0 … Saturday 6; Monday starts the week (ISO 8601).
    const sinceMonday = (new Date(day).getUTCDay() + 6) % 7
    return day - sinceMonday * DAY_MS
  }
  const d = new Date(day)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)
}

/** The start of the bucket after the one starting at `start`. */
export function nextBucketStart(start: number, bucket: ReportBucket): number {
  if (bucket === 'day') return start + DAY_MS
  if (bucket === 'week') return start + 7 * DAY_MS
  const d = new Date(start)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)
}

/** Every bucket start that [since, until] touches, oldest first. */
export function bucketStarts(since: number, until: number, bucket: ReportBucket): number[] {
  const out: number[] = []
  for (let t = bucketStart(since, bucket); t <= until; t = nextBucketStart(t, bucket)) out.push(t)
  return out
}
