import type { AccountState } from '../account-state.js'
import { compareRemaining } from './most-remaining.js'
import type { Strategy } from './types.js'

/**
 * When the quota this account holds now expires: the weekly window's reset (the 5-hour one when
 * the plan reports no weekly window). Unknown, or already past (the next poll will say), sorts last.
 */
function expiresAt(a: AccountState, now: number): number {
  const reset = a.secondaryResetAt ?? a.primaryResetAt
  return reset !== null && reset > now ? reset : Infinity
}

/**
 * The account whose window resets soonest goes first, so quota that would expire unused is spent;
 * equal resets fall back to the most remaining quota.
 */
export const resetDrain: Strategy = (candidates, { now }) => {
  let best: AccountState = candidates[0]!
  let bestAt = expiresAt(best, now)
  for (const a of candidates) {
    const at = expiresAt(a, now)
    if (at < bestAt || (at === bestAt && compareRemaining(a, best) < 0)) {
      best = a
      bestAt = at
    }
  }
  return best
}
