import type {
  DashboardOverview as ContractOverview,
  ModelsList as ContractModels,
  UsageSummary as ContractSummary,
} from '@codex-lb/shared'
import { z } from 'zod'
import { accountSummarySchema } from '../accounts/index.js'

/*
 * Wire shapes of /api/dashboard/overview, /api/models and /api/usage/* (original-admin §1.4, §1.5,
 * §5.1, §5.2): camelCase with the original's odd aliases (totalUsd7d, requests7d, errorRate7d),
 * ISO-8601 `Z` datetimes, explicit nulls.
 */

const isoDateTime = z.iso.datetime()

export const usageHistoryQuerySchema = z.object({
  hours: z.coerce.number().int().min(1).max(168).default(24),
})

export const usageWindowQuerySchema = z.object({
  window: z.enum(['primary', 'secondary']).default('primary'),
})

const windowSummary = z.object({
  remainingPercent: z.number(),
  capacityCredits: z.number(),
  remainingCredits: z.number(),
  resetAt: isoDateTime.nullable(),
  windowMinutes: z.number().int(),
})

export const usageSummarySchema = z.object({
  primaryWindow: windowSummary,
  secondaryWindow: windowSummary,
  cost: z.object({ currency: z.literal('USD'), totalUsd7d: z.number() }),
  metrics: z.object({
    requests7d: z.number().int(),
    tokensSecondaryWindow: z.number().int(),
    cachedTokensSecondaryWindow: z.number().int(),
    /** null when there were no requests. */
    errorRate7d: z.number().nullable(),
    /** Always null in the overview (bucket aggregates carry no codes), as in the original. */
    topError: z.string().nullable(),
  }),
})
export type UsageSummaryResponse = z.infer<typeof usageSummarySchema>

const windowAccount = z.object({
  accountId: z.string(),
  remainingPercentAvg: z.number(),
  capacityCredits: z.number(),
  remainingCredits: z.number(),
})

export const usageWindowSchema = z.object({
  windowKey: z.enum(['primary', 'secondary']),
  windowMinutes: z.number().int(),
  accounts: z.array(windowAccount),
})
export type UsageWindowResponse = z.infer<typeof usageWindowSchema>

export const usageHistorySchema = z.object({
  windowHours: z.number().int(),
  accounts: z.array(windowAccount),
})
export type UsageHistoryResponse = z.infer<typeof usageHistorySchema>

const trendPoint = z.object({ t: isoDateTime, v: z.number() })
const series = z.array(trendPoint).length(28)

export const dashboardOverviewSchema = z.object({
  lastSyncAt: isoDateTime.nullable(),
  /** The overview skips token introspection: `auth` is null here (original-admin §5.1). */
  accounts: z.array(accountSummarySchema.extend({ auth: z.null() })),
  summary: usageSummarySchema,
  windows: z.object({ primary: usageWindowSchema, secondary: usageWindowSchema }),
  trends: z.object({ requests: series, tokens: series, cost: series, errorRate: series }),
  /** Upstream streams open right now in this process. */
  inFlight: z.number().int().min(0),
})
export type DashboardOverviewResponse = z.infer<typeof dashboardOverviewSchema>

export const modelsResponseSchema = z.object({
  models: z.array(z.object({ id: z.string(), name: z.string() })),
})
export type ModelsResponse = z.infer<typeof modelsResponseSchema>

/** Fails to compile when a server shape stops satisfying the shared admin contract the SPA parses. */
type Satisfies<T extends U, U> = T
export type ContractChecks = [
  Satisfies<UsageSummaryResponse, ContractSummary>,
  Satisfies<DashboardOverviewResponse, ContractOverview>,
  Satisfies<ModelsResponse, ContractModels>,
]
