import { z } from 'zod'
import type { Settings, SettingsUpdate } from './service.js'

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
  stickyTtlSeconds: z
    .number()
    .int()
    .min(STICKY_TTL_MIN_SECONDS)
    .max(STICKY_TTL_MAX_SECONDS)
    .nullable()
    .optional(),
}) satisfies z.ZodType<SettingsUpdate>

export interface SettingsResponse {
  stickyThreadsEnabled: boolean
  preferEarlierResetAccounts: boolean
  totpRequiredOnLogin: boolean
  totpConfigured: boolean
  apiKeyAuthEnabled: boolean
  stickyTtlSeconds: number
}

export function toSettingsResponse(settings: Settings): SettingsResponse {
  return {
    stickyThreadsEnabled: settings.stickyThreadsEnabled,
    preferEarlierResetAccounts: settings.preferEarlierResetAccounts,
    totpRequiredOnLogin: settings.totpRequiredOnLogin,
    totpConfigured: settings.totpConfigured,
    apiKeyAuthEnabled: settings.apiKeyAuthEnabled,
    stickyTtlSeconds: settings.stickyTtlSeconds,
  }
}
