/** The routing strategies, by the name stored in settings and accepted from the environment. */
export const ROUTING_STRATEGIES = [
  'most_remaining',
  'capacity_weighted',
  'round_robin',
  'fill_first',
  'reset_drain',
] as const

export type RoutingStrategy = (typeof ROUTING_STRATEGIES)[number]

export const DEFAULT_ROUTING_STRATEGY: RoutingStrategy = 'most_remaining'

export function isRoutingStrategy(value: unknown): value is RoutingStrategy {
  return (ROUTING_STRATEGIES as readonly unknown[]).includes(value)
}
