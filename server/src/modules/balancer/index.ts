export { AccountPool, type LiveUsageWindows, type PoolOptions } from './account-pool.js'
export { BalancerRepository } from './repository.js'
export { headroomGate, type HeadroomDefaults } from './headroom.js'
export { InFlight, QueueTicket, type Lease, type WaitOutcome } from './in-flight.js'
export { RequestCapacity, type CapacityOptions } from './capacity.js'
export { selectAccount, type Selection, type SelectionOptions } from './select-account.js'
export { effectiveStatus, unusableReason, type AccountState } from './account-state.js'
export { markFailure, markSuccess, transientCooldownMs, type StatePatch } from './failure-marks.js'
export {
  exclusionOf,
  explainExclusions,
  type AccountGate,
  type Exclusion,
  type ExclusionReason,
} from './exclusions.js'
export {
  DEFAULT_ROUTING_STRATEGY,
  PLAN_CAPACITY,
  ROUTING_STRATEGIES,
  isRoutingStrategy,
  type RoutingStrategy,
} from './strategies/index.js'
export { PgSharedSlots, type SharedSlots } from './shared-slots.js'
