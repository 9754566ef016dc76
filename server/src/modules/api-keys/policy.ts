import { AppError } from '../../errors/index.js'

/** What a key may do besides its models and limits; each null means no restriction. */
export interface KeyPolicy {
  readonly allowedReasoningEfforts: readonly string[] | null
  readonly allowedServiceTiers: readonly string[] | null
  /** The only accounts this key is routed to. */
  readonly allowedAccountIds: readonly string[] | null
  /** Requests of this key in flight at once (per server process). */
  readonly maxConcurrentRequests: number | null
}

export const NO_POLICY: KeyPolicy = Object.freeze({
  allowedReasoningEfforts: null,
  allowedServiceTiers: null,
  allowedAccountIds: null,
  maxConcurrentRequests: null,
})

/** The request facts a policy judges (a parsed Responses request has them all). */
export interface PolicyFacts {
  reasoningEffort: string | null
  serviceTier: string | null
}

/** `fast` is what people call the Codex CLI's Fast mode; the wire name is `priority`. */
export function normalizeServiceTier(tier: string): string {
  const t = tier.trim().toLowerCase()
  return t === 'fast' ? 'priority' : t
}

const list = (values: readonly string[]) => values.join(', ')

/**
 * 403 when the request asks for an effort or a tier the key does not allow. A request that names
 * neither is let through: the model's default effort and the default tier apply.
 */
export function checkPolicy(policy: KeyPolicy, facts: PolicyFacts): void {
  const effort = facts.reasoningEffort?.trim().toLowerCase()
  refuseOutside(policy.allowedReasoningEfforts, effort, {
    what: 'reasoning effort',
    code: 'reasoning_effort_not_allowed',
    param: 'reasoning.effort',
  })
  const tier = facts.serviceTier === null ? undefined : normalizeServiceTier(facts.serviceTier)
  refuseOutside(policy.allowedServiceTiers, tier, {
    what: 'service tier',
    code: 'service_tier_not_allowed',
    param: 'service_tier',
  })
}

/** 403 naming the allowed values when `value` is set and not among them (no list: no limit). */
function refuseOutside(
  allowed: readonly string[] | null | undefined,
  value: string | undefined,
  refusal: { what: string; code: string; param: string },
): void {
  if (!allowed || !value || allowed.includes(value)) return
  throw new AppError(
    `This API key does not allow ${refusal.what} '${value}'. Allowed: ${list(allowed)}.`,
    {
      status: 403,
      code: refusal.code,
      type: 'permission_error',
      param: refusal.param,
      details: { allowed: [...allowed] },
    },
  )
}

/** 429: the key already has as many requests in flight as its policy allows. */
export class KeyConcurrencyError extends AppError {
  constructor(max: number) {
    super(
      `This API key already has ${max} request${max === 1 ? '' : 's'} in flight, its limit. ` +
        'Retry when one finishes.',
      {
        status: 429,
        code: 'key_concurrency_limit',
        type: 'rate_limit_error',
        headers: { 'retry-after': '1' },
      },
    )
  }
}
