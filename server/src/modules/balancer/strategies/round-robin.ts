import type { AccountState } from '../account-state.js'
import { compareRouteOrder } from './route-order.js'
import type { Strategy } from './types.js'

/**
 * Each pick takes the next usable account after the previous pick in the user's order, wrapping
 * around. The previous pick is a position, not an index, so accounts added, removed or skipped
 * (limited, failed for this request) do not upset the rotation.
 */
export const roundRobin: Strategy = (candidates, { after }) => {
  let first: AccountState = candidates[0]!
  let next: AccountState | undefined
  for (const a of candidates) {
    if (compareRouteOrder(a, first) < 0) first = a
    if (after && compareRouteOrder(a, after) > 0 && (!next || compareRouteOrder(a, next) < 0)) {
      next = a
    }
  }
  return next ?? first
}
