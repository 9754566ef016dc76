import { z } from 'zod'
import { limitTypeSchema, limitWindowSchema } from './api-keys.js'
import { isoDateTimeSchema } from './common.js'

/** Buckets are UTC: a day, a week starting Monday, a calendar month. */
export const REPORT_BUCKETS = ['day', 'week', 'month'] as const
export const REPORT_GROUPS = ['apiKey', 'account', 'model'] as const
export const reportBucketSchema = z.enum(REPORT_BUCKETS)
export const reportGroupBySchema = z.enum(REPORT_GROUPS)
export type ReportBucket = z.infer<typeof reportBucketSchema>
export type ReportGroupBy = z.infer<typeof reportGroupBySchema>

/** Sums over request-log rows (every attempt, failed ones included); cost in USD. */
export const reportSumsSchema = z.object({
  requests: z.number(),
  errors: z.number(),
  inputTokens: z.number(),
  cachedInputTokens: z.number(),
  outputTokens: z.number(),
  reasoningTokens: z.number(),
  costUsd: z.number(),
})
export type ReportSums = z.infer<typeof reportSumsSchema>

export const reportGroupSchema = reportSumsSchema.extend({
  /** The API key id, account id or model; null: rows without a key / account. */
  key: z.string().nullable(),
  /** Key name, account alias or email, model; deleted keys and accounts are named as such. */
  label: z.string(),
  deleted: z.boolean(),
})
export type ReportGroup = z.infer<typeof reportGroupSchema>

export const reportPointSchema = reportSumsSchema.extend({
  bucketStart: isoDateTimeSchema,
  key: z.string().nullable(),
})
export type ReportPoint = z.infer<typeof reportPointSchema>

export const reportSchema = z.object({
  bucket: reportBucketSchema,
  groupBy: reportGroupBySchema,
  since: isoDateTimeSchema,
  /** Inclusive. */
  until: isoDateTimeSchema,
  /** Every bucket the range touches, oldest first (the series omits empty ones). */
  buckets: z.array(isoDateTimeSchema),
  /** Totals per group over the range, most requests first. */
  groups: z.array(reportGroupSchema),
  series: z.array(reportPointSchema),
})
export type Report = z.infer<typeof reportSchema>

/** One window of a limit: [start, end) and what the request logs count in it. */
export const limitPeriodSchema = z.object({
  start: isoDateTimeSchema,
  end: isoDateTimeSchema,
  /** In the limit's unit: tokens, or micro-dollars for `cost_usd`. */
  used: z.number(),
})
export type LimitPeriod = z.infer<typeof limitPeriodSchema>

export const limitHistorySchema = z.object({
  id: z.number(),
  limitType: limitTypeSchema,
  limitWindow: limitWindowSchema,
  maxValue: z.number(),
  modelFilter: z.string().nullable(),
  periods: z.array(limitPeriodSchema),
})
export type LimitHistory = z.infer<typeof limitHistorySchema>

export const keyUsageHistorySchema = z.object({
  apiKeyId: z.string(),
  name: z.string(),
  since: isoDateTimeSchema,
  until: isoDateTimeSchema,
  limits: z.array(limitHistorySchema),
})
export type KeyUsageHistory = z.infer<typeof keyUsageHistorySchema>
