import { REASONING_EFFORTS, SERVICE_TIERS } from '@codex-lb/shared'
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

/**
 * A policy list: entries trimmed and lower-cased, each one of `names` (else 422 naming the entry),
 * repeats dropped; empty or null means no restriction, stored as null.
 */
function nameList(names: readonly string[], alias: (v: string) => string = (v) => v) {
  return z
    .array(z.string().transform((v) => alias(v.trim().toLowerCase())))
    .max(100)
    .nullable()
    .superRefine((values, ctx) => {
      values?.forEach((v, i) => {
        if (!names.includes(v)) {
          ctx.addIssue({ code: 'custom', path: [i], message: `must be one of ${names.join(', ')}` })
        }
      })
    })
    .transform((values) => {
      const unique = [...new Set(values ?? [])]
      return unique.length === 0 ? null : unique
    })
}

const allowedReasoningEfforts = nameList(REASONING_EFFORTS)
const allowedServiceTiers = nameList(SERVICE_TIERS, (v) => (v === 'fast' ? 'priority' : v))
/** Account ids; whether each exists is checked by the service (422 naming the entry). */
const allowedAccountIds = z
  .array(z.string().trim().min(1, 'must not be blank').max(256))
  .max(1000)
  .nullable()
  .transform((ids) => {
    const unique = [...new Set(ids ?? [])]
    return unique.length === 0 ? null : unique
  })
const maxConcurrentRequests = z
  .number()
  .int('must be a positive integer')
  .min(1, 'must be a positive integer')
  .max(10_000)
  .nullable()

const policyFields = {
  allowedReasoningEfforts: allowedReasoningEfforts.optional(),
  allowedServiceTiers: allowedServiceTiers.optional(),
  allowedAccountIds: allowedAccountIds.optional(),
  maxConcurrentRequests: maxConcurrentRequests.optional(),
}

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
  ...policyFields,
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
  ...policyFields,
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
    allowedReasoningEfforts: record.policy.allowedReasoningEfforts,
    allowedServiceTiers: record.policy.allowedServiceTiers,
    allowedAccountIds: record.policy.allowedAccountIds,
    maxConcurrentRequests: record.policy.maxConcurrentRequests,
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
