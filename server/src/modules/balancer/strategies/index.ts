import type { AccountState } from '../account-state.js'
import { capacityWeighted } from './capacity-weighted.js'
import { fillFirst } from './fill-first.js'
import { mostRemaining } from './most-remaining.js'
import type { RoutingStrategy } from './names.js'
import { resetDrain } from './reset-drain.js'
import { roundRobin } from './round-robin.js'
import type { Strategy, StrategyContext } from './types.js'

export {
  DEFAULT_ROUTING_STRATEGY,
  ROUTING_STRATEGIES,
  isRoutingStrategy,
  type RoutingStrategy,
} from './names.js'
export { PLAN_CAPACITY, capacityWeight } from './capacity-weighted.js'
export { compareRouteOrder } from './route-order.js'
export type { RoutePosition, Strategy, StrategyContext } from './types.js'

const STRATEGIES: Record<RoutingStrategy, Strategy> = {
  most_remaining: mostRemaining,
  capacity_weighted: capacityWeighted,
  round_robin: roundRobin,
  fill_first: fillFirst,
  reset_drain: resetDrain,
}

/** The one dispatcher: the chosen strategy's pick among accounts that may all take the request. */
export function pickByStrategy(
  strategy: RoutingStrategy,
  candidates: readonly AccountState[],
  ctx: StrategyContext,
): AccountState {
  return STRATEGIES[strategy](candidates, ctx)
}
