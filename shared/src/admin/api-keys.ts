import { z } from 'zod'
import { isoDateTimeSchema } from './common.js'

export const LIMIT_TYPES = ['total_tokens', 'input_tokens', 'output_tokens', 'cost_usd'] as const
export const LIMIT_WINDOWS = ['daily', 'weekly', 'monthly'] as const
export const limitTypeSchema = z.enum(LIMIT_TYPES)
export const limitWindowSchema = z.enum(LIMIT_WINDOWS)
export type LimitType = z.infer<typeof limitTypeSchema>
export type LimitWindow = z.infer<typeof limitWindowSchema>

/** A limit rule with its usage. For `cost_usd`, values are micro-dollars (1 USD = 1,000,000). */
export const limitRuleSchema = z.object({
  id: z.number(),
  limitType: limitTypeSchema,
  limitWindow: limitWindowSchema,
  maxValue: z.number(),
  currentValue: z.number(),
  modelFilter: z.string().nullish(),
  resetAt: isoDateTimeSchema,
})
export type LimitRule = z.infer<typeof limitRuleSchema>

export const limitRuleInputSchema = z.object({
  limitType: limitTypeSchema,
  limitWindow: limitWindowSchema,
  maxValue: z.number().int().min(1),
  modelFilter: z.string().nullish(),
})
export type LimitRuleInput = z.infer<typeof limitRuleInputSchema>

/** Reasoning efforts a key's policy may allow (the original's set). */
export const REASONING_EFFORTS = [
  'none',
  'minimal',
  'low',
  'medium',
  'high',
  'xhigh',
  'max',
  'ultra',
] as const
/** Service tiers a key's policy may allow; `priority` is the Codex CLI's Fast mode. */
export const SERVICE_TIERS = ['auto', 'default', 'flex', 'priority', 'ultrafast'] as const

/**
 * Per-key policy: each list null (or empty on input) means no restriction. `allowedAccountIds`
 * keeps the key on those accounts; `maxConcurrentRequests` caps its requests in flight.
 */
const policyFields = {
  allowedReasoningEfforts: z.array(z.string()).nullish(),
  allowedServiceTiers: z.array(z.string()).nullish(),
  allowedAccountIds: z.array(z.string()).nullish(),
  maxConcurrentRequests: z.number().int().nullish(),
}

export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  keyPrefix: z.string(),
  allowedModels: z.array(z.string()).nullish(),
  expiresAt: isoDateTimeSchema.nullish(),
  isActive: z.boolean(),
  createdAt: isoDateTimeSchema,
  lastUsedAt: isoDateTimeSchema.nullish(),
  limits: z.array(limitRuleSchema),
  ...policyFields,
})
export type ApiKey = z.infer<typeof apiKeySchema>
export const apiKeyListSchema = z.array(apiKeySchema)

/** Create and regenerate answers: the only time the plaintext `key` is ever returned. */
export const apiKeyCreatedSchema = apiKeySchema.extend({ key: z.string() })
export type ApiKeyCreated = z.infer<typeof apiKeyCreatedSchema>

export const apiKeyCreateBodySchema = z.object({
  name: z.string().min(1).max(128),
  allowedModels: z.array(z.string()).nullish(),
  expiresAt: isoDateTimeSchema.nullish(),
  limits: z.array(limitRuleInputSchema).nullish(),
  ...policyFields,
})
export type ApiKeyCreateBody = z.infer<typeof apiKeyCreateBodySchema>

/** PATCH: field presence drives the semantics; `limits` absent leaves rules (and their usage) alone. */
export const apiKeyUpdateBodySchema = z.object({
  name: z.string().min(1).max(128).optional(),
  allowedModels: z.array(z.string()).nullable().optional(),
  expiresAt: isoDateTimeSchema.nullable().optional(),
  isActive: z.boolean().optional(),
  limits: z.array(limitRuleInputSchema).nullable().optional(),
  resetUsage: z.boolean().optional(),
  ...policyFields,
})
export type ApiKeyUpdateBody = z.infer<typeof apiKeyUpdateBodySchema>
