import { z } from 'zod'
import { maxStreamsSchema, queueWaitSecondsSchema } from './concurrency.js'
import { overflowModeSchema } from './overflow.js'

/** How the pool picks an account for a request (the README's "How it routes" says what each does). */
export const ROUTING_STRATEGIES = [
  'most_remaining',
  'capacity_weighted',
  'round_robin',
  'fill_first',
  'reset_drain',
] as const
export const routingStrategySchema = z.enum(ROUTING_STRATEGIES)
export type RoutingStrategy = z.infer<typeof routingStrategySchema>

export const dashboardSettingsSchema = z.object({
  stickyThreadsEnabled: z.boolean(),
  preferEarlierResetAccounts: z.boolean(),
  totpRequiredOnLogin: z.boolean(),
  totpConfigured: z.boolean(),
  apiKeyAuthEnabled: z.boolean(),
  /** Effective per-account stream cap and queue wait (environment default unless saved). */
  accountMaxStreams: z.number().optional(),
  accountQueueWaitSeconds: z.number().optional(),
  /** Effective overflow mode (CODEX_LB_OVERFLOW_MODE unless one was saved). */
  overflowMode: overflowModeSchema.optional(),
  /** Effective strategy (CODEX_LB_ROUTING_STRATEGY unless one was saved). */
  routingStrategy: routingStrategySchema.optional(),
  /** Effective usage ceilings in percent used (100 = none); accounts may override them. */
  headroomPrimaryPercent: z.number().optional(),
  headroomSecondaryPercent: z.number().optional(),
})
export type DashboardSettings = z.infer<typeof dashboardSettingsSchema>

/** PUT /api/settings: the routing booleans are required; the other two, when absent, keep their value. */
export const dashboardSettingsUpdateSchema = z.object({
  stickyThreadsEnabled: z.boolean(),
  preferEarlierResetAccounts: z.boolean(),
  totpRequiredOnLogin: z.boolean().nullish(),
  apiKeyAuthEnabled: z.boolean().nullish(),
  /** null restores CODEX_LB_ACCOUNT_MAX_STREAMS / CODEX_LB_ACCOUNT_QUEUE_WAIT_SECONDS. */
  accountMaxStreams: maxStreamsSchema.nullish(),
  accountQueueWaitSeconds: queueWaitSecondsSchema.nullish(),
  /** Absent keeps the saved mode; null restores CODEX_LB_OVERFLOW_MODE. */
  overflowMode: overflowModeSchema.nullish(),
  /** Absent keeps the saved strategy; null restores CODEX_LB_ROUTING_STRATEGY. */
  routingStrategy: routingStrategySchema.nullish(),
  /** null restores the environment default (CODEX_LB_HEADROOM_*_PERCENT). */
  headroomPrimaryPercent: z.number().min(0).max(100).nullish(),
  headroomSecondaryPercent: z.number().min(0).max(100).nullish(),
})
export type DashboardSettingsUpdate = z.infer<typeof dashboardSettingsUpdateSchema>
