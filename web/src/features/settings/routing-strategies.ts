import { ROUTING_STRATEGIES, type RoutingStrategy } from '@codex-lb/shared'

/** What each strategy is called in the dashboard and what it does, in one sentence. */
export const ROUTING_STRATEGY_INFO: Record<RoutingStrategy, { title: string; sentence: string }> = {
  most_remaining: {
    title: 'Most remaining',
    sentence:
      'Each request goes to the account with the most quota left, so usage stays even across the pool.',
  },
  capacity_weighted: {
    title: 'Capacity weighted',
    sentence:
      'A random pick weighted by quota left × plan size (Pro counts six times Plus), so parallel requests spread out.',
  },
  round_robin: {
    title: 'Round robin',
    sentence: 'Usable accounts take new requests in turn, in the order set on the Accounts page.',
  },
  fill_first: {
    title: 'Fill first',
    sentence:
      'The first account in your order takes everything until it is limited, then the next, keeping the others fresh.',
  },
  reset_drain: {
    title: 'Reset drain',
    sentence:
      'The account whose weekly window resets soonest goes first, so quota that would expire unused is spent.',
  },
}

export const ROUTING_STRATEGY_OPTIONS = ROUTING_STRATEGIES.map((name) => ({
  name,
  ...ROUTING_STRATEGY_INFO[name],
}))
