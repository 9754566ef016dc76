import type { AccountState } from '../account-state.js'

/** An account's place in the user's order: enough to resume a rotation after it left the pool. */
export interface RoutePosition {
  id: string
  routeOrder?: number | null | undefined
  createdAt?: number | undefined
}

export interface StrategyContext {
  now: number
  /** most_remaining: the weekly reset day ranks before remaining quota (the settings flag). */
  preferEarlierReset: boolean
  /** Uniform in [0, 1): capacity_weighted draws from it (tests pin it). */
  random: () => number
  /** round_robin: the account picked last, so the rotation continues after it. */
  after?: RoutePosition | undefined
}

/**
 * Picks one of the candidates, which is never empty: every candidate already passed the account's
 * own state and the request's gates. Pure (randomness comes from the context) and O(n).
 */
export type Strategy = (candidates: readonly AccountState[], ctx: StrategyContext) => AccountState
