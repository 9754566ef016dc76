import { reportBucketSchema, reportGroupBySchema } from '@codex-lb/shared'
import { z } from 'zod'
import { ValidationError } from '../../errors/index.js'
import { DAY_MS, utcDayStart } from './buckets.js'

/** The longest range a report or a usage history covers. */
export const MAX_RANGE_DAYS = 400
/** Without `since`, a report covers this many UTC days up to `until` (today included). */
export const DEFAULT_RANGE_DAYS = 30

/** Repeatable query parameters arrive as a string or an array of strings. */
const many = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
  .transform((values) => [...new Set(values.map((v) => v.trim()).filter((v) => v !== ''))])

/**
 * ISO-8601 date or datetime to epoch ms; without an offset it is UTC. A date alone is that UTC day:
 * `since` starts at its first millisecond, `until` includes its last.
 */
const instant = (edge: 'start' | 'end') =>
  z
    .union([z.iso.date(), z.iso.datetime({ offset: true, local: true })])
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return null
      const ms = /^\d{4}-\d{2}-\d{2}$/.test(text)
        ? Date.parse(`${text}T00:00:00Z`) + (edge === 'end' ? DAY_MS - 1 : 0)
        : Date.parse(/(?:Z|[+-]\d\d:?\d\d)$/i.test(text) ? text : `${text}Z`)
      if (Number.isFinite(ms)) return ms
      ctx.addIssue({ code: 'custom', message: 'must be an ISO-8601 date or datetime' })
      return z.NEVER
    })

const rangeFields = { since: instant('start'), until: instant('end') }

export const reportQuerySchema = z.object({
  ...rangeFields,
  bucket: reportBucketSchema.default('day'),
  groupBy: reportGroupBySchema.default('model'),
  apiKeyId: many,
  accountId: many,
  model: many,
})
export type ReportQuery = z.output<typeof reportQuerySchema>

export const usageHistoryQuerySchema = z.object(rangeFields)

export interface Range {
  since: number
  /** Inclusive. */
  until: number
}

/**
 * The range asked for, with defaults: `until` now, `since` the start of the UTC day 29 days before
 * `until` (30 days). 422 naming `until` when it comes before `since` (as the request log says it)
 * or more than 400 days after it.
 */
export function resolveRange(asked: { since: number | null; until: number | null }, now: number) {
  const until = asked.until ?? now
  const since = asked.since ?? utcDayStart(until) - (DEFAULT_RANGE_DAYS - 1) * DAY_MS
  if (since > until) {
    throw new ValidationError(
      'Invalid request payload: until: must not be before since',
      'until',
      422,
    )
  }
  if (until - since > MAX_RANGE_DAYS * DAY_MS) {
    throw new ValidationError(
      `Invalid request payload: until: the range must not exceed ${MAX_RANGE_DAYS} days`,
      'until',
      422,
    )
  }
  return { since, until } satisfies Range
}
