import { z } from 'zod'
import type { OverflowUpstream } from './model.js'

const name = z.string().trim().min(1, 'must not be blank').max(128)
/** http(s) only; a trailing slash is dropped so `{base}/responses` joins cleanly. */
const baseUrl = z
  .string()
  .trim()
  .refine((v) => {
    try {
      return ['http:', 'https:'].includes(new URL(v).protocol)
    } catch {
      return false
    }
  }, 'must be an http(s) URL such as https://api.openai.com/v1')
  .transform((v) => v.replace(/\/+$/, ''))
const apiKey = z.string().trim().min(1, 'must not be blank').max(4096)
const modelName = z.string().trim().min(1, 'must not be blank').max(256)
const models = z
  .array(
    z.object({
      model: modelName,
      upstreamModel: z
        .string()
        .trim()
        .max(256)
        .nullish()
        .transform((v) => (v ? v : null)),
    }),
  )
  .max(200)
const price = z.number().min(0, 'must not be negative').max(1_000_000).nullable().optional()

export const overflowCreateSchema = z.object({
  name,
  baseUrl,
  apiKey,
  models: models.default([]),
  inputPrice: price,
  cachedInputPrice: price,
  outputPrice: price,
})
export type OverflowCreate = z.output<typeof overflowCreateSchema>

/** PATCH: absent keeps the stored value; an absent `apiKey` keeps the stored key. */
export const overflowUpdateSchema = z.object({
  name: name.optional(),
  baseUrl: baseUrl.optional(),
  apiKey: apiKey.optional(),
  models: models.optional(),
  inputPrice: price,
  cachedInputPrice: price,
  outputPrice: price,
})
export type OverflowUpdate = z.output<typeof overflowUpdateSchema>

export interface OverflowUpstreamResponse {
  id: string
  name: string
  baseUrl: string
  /** The first characters of the key followed by an ellipsis; the key is never sent back. */
  apiKeyPrefix: string
  models: Array<{ model: string; upstreamModel: string | null }>
  inputPrice: number | null
  cachedInputPrice: number | null
  outputPrice: number | null
  source: 'dashboard' | 'env'
  /** Until when it is skipped after failures (ISO-8601); null when usable. */
  cooldownUntil: string | null
  createdAt: string
  updatedAt: string
}

export function toOverflowResponse(
  u: OverflowUpstream,
  cooldownUntil: number | undefined,
): OverflowUpstreamResponse {
  return {
    id: u.id,
    name: u.name,
    baseUrl: u.baseUrl,
    apiKeyPrefix: `${u.apiKeyPrefix}…`,
    models: u.models,
    inputPrice: u.prices.input,
    cachedInputPrice: u.prices.cachedInput,
    outputPrice: u.prices.output,
    source: u.source,
    cooldownUntil: cooldownUntil === undefined ? null : new Date(cooldownUntil).toISOString(),
    createdAt: new Date(u.createdAt).toISOString(),
    updatedAt: new Date(u.updatedAt).toISOString(),
  }
}
