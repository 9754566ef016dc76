import type { AccountState } from '../account-state.js'
import type { Strategy } from './types.js'

/**
 * Relative size of each plan's quota (Pro has about six times Plus); plans not listed count as 1.
 * Documented in the README ("How it routes").
 */
export const PLAN_CAPACITY: Readonly<Record<string, number>> = {
  free: 1,
  plus: 1,
  team: 1,
  business: 1,
  edu: 1,
  enterprise: 1,
  pro: 6,
}

/** Percent left in one window; a window whose reset has passed is whole again. */
function left(used: number | null, resetAt: number | null, now: number): number {
  if (used === null || (resetAt !== null && resetAt <= now)) return 100
  return Math.max(0, 100 - used)
}

/**
 * Remaining quota × plan capacity. The tighter of the two windows counts (an account with 5 % of
 * its 5-hour window left cannot take much, whatever its week says); at least 1, so every usable
 * account keeps a small chance.
 */
export function capacityWeight(a: AccountState, now: number): number {
  const remaining = Math.min(
    left(a.primaryUsedPercent, a.primaryResetAt, now),
    left(a.secondaryUsedPercent, a.secondaryResetAt, now),
  )
  return Math.max(1, remaining) * (PLAN_CAPACITY[a.planType] ?? 1)
}

/**
 * A random pick weighted by capacityWeight: parallel requests spread over the pool in proportion to
 * what each account can still take, instead of all landing on the single best account.
 */
export const capacityWeighted: Strategy = (candidates, { now, random }) => {
  let total = 0
  for (const a of candidates) total += capacityWeight(a, now)
  let r = random() * total
  for (const a of candidates) {
    r -= capacityWeight(a, now)
    if (r < 0) return a
  }
  return candidates[candidates.length - 1]!
}
