import { z } from 'zod'

export const dashboardSettingsSchema = z.object({
  stickyThreadsEnabled: z.boolean(),
  preferEarlierResetAccounts: z.boolean(),
  totpRequiredOnLogin: z.boolean(),
  totpConfigured: z.boolean(),
  apiKeyAuthEnabled: z.boolean(),
})
export type DashboardSettings = z.infer<typeof dashboardSettingsSchema>

/** PUT /api/settings: the routing booleans are required; the other two, when absent, keep their value. */
export const dashboardSettingsUpdateSchema = z.object({
  stickyThreadsEnabled: z.boolean(),
  preferEarlierResetAccounts: z.boolean(),
  totpRequiredOnLogin: z.boolean().nullish(),
  apiKeyAuthEnabled: z.boolean().nullish(),
})
export type DashboardSettingsUpdate = z.infer<typeof dashboardSettingsUpdateSchema>
