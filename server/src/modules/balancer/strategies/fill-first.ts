import type { AccountState } from '../account-state.js'
import { compareRouteOrder } from './route-order.js'
import type { Strategy } from './types.js'

/**
 * The first usable account in the user's order takes everything until it is limited (or cools
 * down), then the next one: the accounts further down stay fresh for later.
 */
export const fillFirst: Strategy = (candidates) => {
  let first: AccountState = candidates[0]!
  for (const a of candidates) if (compareRouteOrder(a, first) < 0) first = a
  return first
}
