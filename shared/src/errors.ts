import { z } from 'zod'

/** The dashboard error envelope, as every /api/* failure answers. */
export const dashboardErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
})
export type DashboardErrorBody = z.infer<typeof dashboardErrorSchema>
