import { z } from 'zod'
import { accountSummarySchema } from './accounts.js'
import { isoDateTimeSchema, trendPointSchema } from './common.js'

export const usageWindowSummarySchema = z.object({
  remainingPercent: z.number(),
  capacityCredits: z.number().nullish(),
  remainingCredits: z.number().nullish(),
  resetAt: isoDateTimeSchema.nullish(),
  windowMinutes: z.number().nullish(),
})
export type UsageWindowSummary = z.infer<typeof usageWindowSummarySchema>

/** Note the original's aliases: `totalUsd7d`, `requests7d`, `errorRate7d` (digit glued to the word). */
export const usageSummarySchema = z.object({
  primaryWindow: usageWindowSummarySchema.nullish(),
  secondaryWindow: usageWindowSummarySchema.nullish(),
  cost: z.object({ currency: z.string(), totalUsd7d: z.number() }).nullish(),
  metrics: z
    .object({
      requests7d: z.number().nullish(),
      tokensSecondaryWindow: z.number().nullish(),
      cachedTokensSecondaryWindow: z.number().nullish(),
      errorRate7d: z.number().nullish(),
      topError: z.string().nullish(),
    })
    .nullish(),
})
export type UsageSummary = z.infer<typeof usageSummarySchema>

export const usageWindowAccountsSchema = z.object({
  windowKey: z.string(),
  windowMinutes: z.number().nullish(),
  accounts: z.array(
    z.object({
      accountId: z.string(),
      remainingPercentAvg: z.number().nullish(),
      capacityCredits: z.number().nullish(),
      remainingCredits: z.number().nullish(),
    }),
  ),
})

/** GET /api/dashboard/overview: trends are 28 six-hour buckets over the last 7 days. */
export const dashboardOverviewSchema = z.object({
  lastSyncAt: isoDateTimeSchema.nullish(),
  accounts: z.array(accountSummarySchema),
  summary: usageSummarySchema,
  windows: z
    .object({ primary: usageWindowAccountsSchema, secondary: usageWindowAccountsSchema })
    .nullish(),
  trends: z
    .object({
      requests: z.array(trendPointSchema),
      tokens: z.array(trendPointSchema),
      cost: z.array(trendPointSchema),
      errorRate: z.array(trendPointSchema),
    })
    .nullish(),
  /** Upstream streams open right now (this server process). */
  inFlight: z.number().nullish(),
})
export type DashboardOverview = z.infer<typeof dashboardOverviewSchema>
