import { z } from 'zod'
import { isoDateTimeSchema } from './common.js'

/** off: never; exhausted: only when no account can serve; always: first, for the models named. */
export const OVERFLOW_MODES = ['off', 'exhausted', 'always'] as const
export const overflowModeSchema = z.enum(OVERFLOW_MODES)
export type OverflowMode = z.infer<typeof overflowModeSchema>

const modelRouteSchema = z.object({ model: z.string(), upstreamModel: z.string().nullish() })

/** GET /api/overflow-upstreams item: the key is never returned, only its first characters. */
export const overflowUpstreamSchema = z.object({
  id: z.string(),
  name: z.string(),
  baseUrl: z.string(),
  apiKeyPrefix: z.string(),
  models: z.array(modelRouteSchema),
  inputPrice: z.number().nullish(),
  cachedInputPrice: z.number().nullish(),
  outputPrice: z.number().nullish(),
  /** env: from CODEX_LB_OVERFLOW_BASE_URL, read-only here. */
  source: z.enum(['dashboard', 'env']),
  cooldownUntil: isoDateTimeSchema.nullish(),
})
export type OverflowUpstream = z.infer<typeof overflowUpstreamSchema>

/** POST (all of name, baseUrl, apiKey) and PATCH (any; an absent apiKey keeps the stored one). */
export interface OverflowUpstreamInput {
  name?: string
  baseUrl?: string
  apiKey?: string
  models?: Array<{ model: string; upstreamModel: string | null }>
  inputPrice?: number | null
  cachedInputPrice?: number | null
  outputPrice?: number | null
}
