import { z } from 'zod'
import { maxStreamsSchema, queueWaitSecondsSchema } from '../../lib/stream-caps.js'
import { ROUTING_STRATEGIES, type RoutingStrategy } from '../balancer/index.js'
import { OVERFLOW_MODES, type OverflowMode, type Settings, type SettingsUpdate } from './service.js'

/** Bounds for the sticky pin lifetime: below a minute pins are useless, past 30 days they are stale. */
export const STICKY_TTL_MIN_SECONDS = 60
export const STICKY_TTL_MAX_SECONDS = 30 * 86_400

/**
 * PUT /api/settings. The two routing flags are required (the original's contract); the rest are
 * optional, and absent or null keeps the stored value (`stickyTtlSeconds: null` restores the default).
 */
export const settingsUpdateSchema = z.object({
  stickyThreadsEnabled: z.boolean(),
  preferEarlierResetAccounts: z.boolean(),
  totpRequiredOnLogin: z.boolean().nullable().optional(),
  apiKeyAuthEnabled: z.boolean().nullable().optional(),
  /** Usage ceilings in percent used (100 = none); null restores CODEX_LB_HEADROOM_*_PERCENT. */
  headroomPrimaryPercent: z.number().min(0).max(100).nullable().optional(),
  headroomSecondaryPercent: z.number().min(0).max(100).nullable().optional(),
  /** One of the routing strategies; null restores CODEX_LB_ROUTING_STRATEGY. */
  routingStrategy: z.enum(ROUTING_STRATEGIES).nullable().optional(),
  stickyTtlSeconds: z
    .number()
    .int()
    .min(STICKY_TTL_MIN_SECONDS)
    .max(STICKY_TTL_MAX_SECONDS)
    .nullable()
    .optional(),
  /** null restores CODEX_LB_ACCOUNT_MAX_STREAMS / CODEX_LB_ACCOUNT_QUEUE_WAIT_SECONDS. */
  accountMaxStreams: maxStreamsSchema.nullable().optional(),
  accountQueueWaitSeconds: queueWaitSecondsSchema.nullable().optional(),
  /** null restores the environment default (CODEX_LB_OVERFLOW_MODE). */
  overflowMode: z.enum(OVERFLOW_MODES).nullable().optional(),
}) satisfies z.ZodType<SettingsUpdate>

export interface SettingsResponse {
  routingStrategy: RoutingStrategy
  stickyThreadsEnabled: boolean
  preferEarlierResetAccounts: boolean
  totpRequiredOnLogin: boolean
  totpConfigured: boolean
  apiKeyAuthEnabled: boolean
  headroomPrimaryPercent: number
  headroomSecondaryPercent: number
  stickyTtlSeconds: number
  accountMaxStreams: number
  accountQueueWaitSeconds: number
  overflowMode: OverflowMode
}

export function toSettingsResponse(settings: Settings): SettingsResponse {
  return {
    stickyThreadsEnabled: settings.stickyThreadsEnabled,
    preferEarlierResetAccounts: settings.preferEarlierResetAccounts,
    totpRequiredOnLogin: settings.totpRequiredOnLogin,
    totpConfigured: settings.totpConfigured,
    apiKeyAuthEnabled: settings.apiKeyAuthEnabled,
    headroomPrimaryPercent: settings.headroomPrimaryPercent,
    headroomSecondaryPercent: settings.headroomSecondaryPercent,
    routingStrategy: settings.routingStrategy,
    stickyTtlSeconds: settings.stickyTtlSeconds,
    accountMaxStreams: settings.accountMaxStreams,
    accountQueueWaitSeconds: settings.accountQueueWaitSeconds,
    overflowMode: settings.overflowMode,
  }
}
