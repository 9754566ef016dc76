import type { LimitType, LimitWindow } from '../../db/schema.js'

export type { LimitType, LimitWindow }

const DAY_MS = 86_400_000

/** Rolling windows anchored at creation or reset; `monthly` is 30 days, not a calendar month. */
export const WINDOW_MS: Readonly<Record<LimitWindow, number>> = {
  daily: DAY_MS,
  weekly: 7 * DAY_MS,
  monthly: 30 * DAY_MS,
}

/**
 * What one request reserves up front before its real usage is known: a typical response's tokens, or
 * $2 in micro-dollars for cost limits. Settlement then corrects it to the actual figure.
 */
export const RESERVATION_BUDGET: Readonly<Record<LimitType, number>> = {
  total_tokens: 8192,
  input_tokens: 8192,
  output_tokens: 8192,
  cost_usd: 2_000_000,
}

export interface LimitRuleInput {
  limitType: LimitType
  limitWindow: LimitWindow
  /** Tokens, or micro-dollars for `cost_usd` (1 USD = 1,000,000). */
  maxValue: number
  /** null: the rule covers every model; otherwise only requests for exactly this model. */
  modelFilter: string | null
}

export interface LimitRule extends LimitRuleInput {
  id: number
  currentValue: number
  /** Epoch ms at which the window ends and the counter starts over. */
  resetAt: number
}

/** A rule's identity for PATCH upserts (seed 002 §7.1): type, window and model filter. */
export function limitIdentity(rule: LimitRuleInput): string {
  return JSON.stringify([rule.limitType, rule.limitWindow, rule.modelFilter])
}

/** The first rule whose identity repeats an earlier one, if any. */
export function findDuplicateRule(rules: readonly LimitRuleInput[]): LimitRuleInput | undefined {
  const seen = new Set<string>()
  return rules.find((rule) => {
    const identity = limitIdentity(rule)
    if (seen.has(identity)) return true
    seen.add(identity)
    return false
  })
}

/** `resetAt` moved forward by whole windows until it lies strictly after `now`. */
export function nextResetAt(resetAt: number, window: LimitWindow, now: number): number {
  if (resetAt > now) return resetAt
  const length = WINDOW_MS[window]
  return resetAt + (Math.floor((now - resetAt) / length) + 1) * length
}

/** The rule as it stands at `now`: a window that has ended shows zero usage and its next reset. */
export function effectiveRule(rule: LimitRule, now: number): LimitRule {
  if (rule.resetAt > now) return rule
  return { ...rule, currentValue: 0, resetAt: nextResetAt(rule.resetAt, rule.limitWindow, now) }
}

/** Seed 002 §5.2: global rules apply to every request, model-scoped ones only to their model. */
export function ruleAppliesTo(rule: LimitRuleInput, model: string | null): boolean {
  return rule.modelFilter === null || rule.modelFilter === model
}

export interface SettledUsage {
  inputTokens: number
  outputTokens: number
  cachedInputTokens: number
  /** USD; undefined when the model has no known price (counts as zero). */
  costUsd?: number | undefined
}

/** What a finished request actually used, in the unit of the rule's type. */
export function actualUsage(type: LimitType, usage: SettledUsage): number {
  const input = Math.max(0, Math.round(usage.inputTokens))
  const output = Math.max(0, Math.round(usage.outputTokens))
  switch (type) {
    case 'total_tokens':
      return input + output
    case 'input_tokens':
      return input
    case 'output_tokens':
      return output
    case 'cost_usd':
      return Math.max(0, Math.round((usage.costUsd ?? 0) * 1_000_000))
  }
}

export interface LimitPlan {
  /** Kept rules: new max, and (only with resetUsage) a fresh window. */
  update: Array<{ id: number; maxValue: number; reset: { resetAt: number } | null }>
  insert: Array<LimitRuleInput & { resetAt: number }>
  remove: number[]
}

/**
 * The state-preserving upsert of seed 002 §7: a submitted rule whose identity exists keeps its usage
 * and reset time and only takes the new max; a new identity starts at zero; a missing one is removed.
 * `resetUsage` is the only thing that starts windows over.
 */
export function planLimitUpsert(
  existing: readonly LimitRule[],
  submitted: readonly LimitRuleInput[],
  resetUsage: boolean,
  now: number,
): LimitPlan {
  const byIdentity = new Map(existing.map((rule) => [limitIdentity(rule), rule]))
  const plan: LimitPlan = { update: [], insert: [], remove: [] }
  const kept = new Set<number>()
  for (const rule of submitted) {
    const match = byIdentity.get(limitIdentity(rule))
    const freshReset = now + WINDOW_MS[rule.limitWindow]
    if (match === undefined) {
      plan.insert.push({ ...rule, resetAt: freshReset })
      continue
    }
    kept.add(match.id)
    plan.update.push({
      id: match.id,
      maxValue: rule.maxValue,
      reset: resetUsage ? { resetAt: freshReset } : null,
    })
  }
  plan.remove = existing.filter((rule) => !kept.has(rule.id)).map((rule) => rule.id)
  return plan
}

/** Every existing rule starts a fresh window (PATCH `resetUsage: true` without `limits`). */
export function planUsageReset(existing: readonly LimitRule[], now: number): LimitPlan {
  return {
    update: existing.map((rule) => ({
      id: rule.id,
      maxValue: rule.maxValue,
      reset: { resetAt: now + WINDOW_MS[rule.limitWindow] },
    })),
    insert: [],
    remove: [],
  }
}
