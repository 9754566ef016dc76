import type { AccountState } from '../account-state.js'
import type { Strategy } from './types.js'

const DAY_MS = 86_400_000

/** Whole days until the weekly window resets; unknown sorts after every known reset. */
function resetDay(a: AccountState, now: number): number {
  return a.secondaryResetAt === null
    ? 10_000
    : Math.max(0, Math.floor((a.secondaryResetAt - now) / DAY_MS))
}

/**
 * Negative when `a` has more quota left: the weekly window first (the 5-hour one when there is no
 * weekly sample), then the 5-hour one, then the least recently used, then the id.
 */
export function compareRemaining(a: AccountState, b: AccountState): number {
  const secondary =
    (a.secondaryUsedPercent ?? a.primaryUsedPercent ?? 0) -
    (b.secondaryUsedPercent ?? b.primaryUsedPercent ?? 0)
  if (secondary !== 0) return secondary
  const primary = (a.primaryUsedPercent ?? 0) - (b.primaryUsedPercent ?? 0)
  if (primary !== 0) return primary
  const used = (a.lastSelectedAt ?? 0) - (b.lastSelectedAt ?? 0)
  if (used !== 0) return used
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/**
 * The most remaining quota wins; ties go to the least recently used account, so equal accounts
 * take turns instead of one taking everything. With "prefer earlier reset" the day of the weekly
 * reset ranks first, so quota about to expire is spent before quota that keeps.
 */
export const mostRemaining: Strategy = (candidates, { now, preferEarlierReset }) => {
  let best: AccountState = candidates[0]!
  for (const a of candidates) {
    const byDay = preferEarlierReset ? resetDay(a, now) - resetDay(best, now) : 0
    if (byDay < 0 || (byDay === 0 && compareRemaining(a, best) < 0)) best = a
  }
  return best
}
