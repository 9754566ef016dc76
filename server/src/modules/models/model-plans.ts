/**
 * Whether an account on `plan` can use a model offered to `plans` (the upstream's
 * `available_in_plans`). No plan list means every plan; an account whose plan we do not know
 * (`unknown`, empty) is given the benefit of the doubt: the upstream stays the judge.
 */
export function planCanUseModel(plan: string | null, plans: readonly string[] | null): boolean {
  if (plans === null || plans.length === 0) return true
  const p = normalizePlan(plan)
  if (p === null) return true
  return plans.some((q) => normalizePlan(q) === p)
}

/** Spellings of the same plan the auth server and the model list use. */
const ALIASES: Record<string, string> = { education: 'edu' }

function normalizePlan(plan: string | null): string | null {
  const p = plan?.trim().toLowerCase() ?? ''
  if (p === '' || p === 'unknown') return null
  return ALIASES[p] ?? p
}

/** `available_in_plans` as a list of plan names; null when absent or empty (every plan). */
export function parsePlans(value: unknown): readonly string[] | null {
  if (!Array.isArray(value)) return null
  const plans = value.filter((p): p is string => typeof p === 'string' && p.trim() !== '')
  return plans.length === 0 ? null : plans.map((p) => p.trim().toLowerCase())
}

/** Whether a model is usable by some account on one of `plans` (the plans of usable accounts). */
export function servableByAny(
  model: { readonly plans: readonly string[] | null },
  plans: readonly string[],
): boolean {
  return model.plans === null || plans.some((p) => planCanUseModel(p, model.plans))
}
