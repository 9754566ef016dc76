import { z } from 'zod'

/** GET /api/models: models the proxy serves (registry entries with supported_in_api). */
export const modelsListSchema = z.object({
  models: z.array(z.object({ id: z.string(), name: z.string() })),
})
export type ModelsList = z.infer<typeof modelsListSchema>
