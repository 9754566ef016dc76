import { z } from 'zod'
import { effectiveRule, type LimitRuleInput } from './limits.js'
import type { ApiKeyRecord } from './repository.js'

const name = z.string().trim().min(1, 'must not be blank').max(128)

const modelId = z.string().trim().max(256)
/** Entries trimmed, blanks and repeats dropped; an empty list means every model, stored as null. */
const allowedModels = z
  .array(modelId)
  .max(1000)
  .nullable()
  .transform((list) => {
    const models = [...new Set((list ?? []).filter((m) => m !== ''))]
    return models.length === 0 ? null : models
  })

/** ISO-8601; without an offset it is read as UTC (what the dashboard's toISOString sends anyway). */
const expiresAt = z.iso
  .datetime({ offset: true, local: true })
  .nullable()
  .transform((text) => {
    if (text === null) return null
    return Date.parse(/(?:Z|[+-]\d\d:?\d\d)$/i.test(text) ? text : `${text}Z`)
  })

const limitRule = z.object({
  limitType: z.enum(['total_tokens', 'input_tokens', 'output_tokens', 'cost_usd']),
  limitWindow: z.enum(['daily', 'weekly', 'monthly']),
  maxValue: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  modelFilter: modelId
    .nullable()
    .optional()
    .transform((m) => (m == null || m === '' ? null : m)),
}) satisfies z.ZodType<LimitRuleInput, unknown>

/** `limits: null` is an empty policy (every rule removed), as in the original. */
const limits = z
  .array(limitRule)
  .max(100)
  .nullable()
  .transform((list) => list ?? [])

/** The original's single weekly token cap, still accepted on input: one total_tokens/weekly rule. */
const weeklyTokenLimit = z.number().int().min(1).nullable()

export const apiKeyCreateSchema = z.object({
  name,
  allowedModels: allowedModels.optional(),
  expiresAt: expiresAt.optional(),
  limits: limits.optional(),
  weeklyTokenLimit: weeklyTokenLimit.optional(),
})

export const apiKeyUpdateSchema = z.object({
  name: name.optional(),
  allowedModels: allowedModels.optional(),
  expiresAt: expiresAt.optional(),
  // null is ignored (the original's behaviour), not "inactive".
  isActive: z.boolean().nullable().optional(),
  limits: limits.optional(),
  weeklyTokenLimit: weeklyTokenLimit.optional(),
  resetUsage: z.boolean().optional(),
})

/**
 * The rules a create/PATCH body asks for, or undefined when it says nothing about limits. `limits`
 * wins over the legacy `weeklyTokenLimit`; a present-but-null weekly limit is an empty policy.
 */
export function requestedLimits(body: {
  limits?: LimitRuleInput[] | undefined
  weeklyTokenLimit?: number | null | undefined
}): LimitRuleInput[] | undefined {
  if (body.limits !== undefined) return body.limits
  if (body.weeklyTokenLimit === undefined) return undefined
  if (body.weeklyTokenLimit === null) return []
  return [
    {
      limitType: 'total_tokens',
      limitWindow: 'weekly',
      maxValue: body.weeklyTokenLimit,
      modelFilter: null,
    },
  ]
}

const iso = (ms: number) => new Date(ms).toISOString()

/** camelCase, ISO times ending in Z, explicit nulls; never the hash. Usage shown as of `now`. */
export function toApiKeyResponse(record: ApiKeyRecord, now: number) {
  return {
    id: record.id,
    name: record.name,
    keyPrefix: record.keyPrefix,
    allowedModels: record.allowedModels,
    expiresAt: record.expiresAt === null ? null : iso(record.expiresAt),
    isActive: record.isActive,
    createdAt: iso(record.createdAt),
    lastUsedAt: record.lastUsedAt === null ? null : iso(record.lastUsedAt),
    limits: record.limits.map((stored) => {
      const rule = effectiveRule(stored, now)
      return {
        id: rule.id,
        limitType: rule.limitType,
        limitWindow: rule.limitWindow,
        maxValue: rule.maxValue,
        currentValue: rule.currentValue,
        modelFilter: rule.modelFilter,
        resetAt: iso(rule.resetAt),
      }
    }),
  }
}

export type ApiKeyResponse = ReturnType<typeof toApiKeyResponse>
