import type { AccountState } from './account-state.js'
import {
  exclusionOf,
  explainExclusions,
  type AccountGate,
  type Exclusion,
  type ExclusionReason,
} from './exclusions.js'
import {
  DEFAULT_ROUTING_STRATEGY,
  pickByStrategy,
  type RoutePosition,
  type RoutingStrategy,
} from './strategies/index.js'

export interface SelectionOptions {
  /** How to choose among usable accounts; most_remaining when absent. */
  strategy?: RoutingStrategy
  preferEarlierReset: boolean
  /** Uniform in [0, 1) for capacity_weighted; Math.random when absent. */
  random?: () => number
  /** round_robin: the previous pick, so the rotation continues after it. */
  after?: RoutePosition | undefined
  /** Accounts already tried for this request. */
  exclude?: ReadonlySet<string>
  /** The sticky pin for this conversation, if any: kept whenever that account is usable. */
  pinnedAccountId?: string | undefined
  /** Request-specific checks (ceilings, caps, key policy, model): an account must pass them all. */
  gates?: readonly AccountGate[]
}

export type Selection =
  | { kind: 'selected'; account: AccountState; sticky: boolean }
  | {
      kind: 'exhausted'
      /** no_accounts: none configured, or none this request may use (paused, signed out, not
       * allowed, wrong plan); limited: all used up (or above their ceiling) until a reset;
       * at_capacity: the rest are at their concurrency cap; cooling_down: transient errors. */
      reason: 'no_accounts' | 'limited' | 'at_capacity' | 'cooling_down'
      /** What to tell the client, with why each account is out. */
      message: string
      /** Why each account is out, for logs and the message. */
      exclusions: Exclusion[]
      /** Earliest time an account becomes usable again (epoch ms), when known. */
      retryAt: number | undefined
      /** limited: the plan of the account whose limit lifts first (clients show it). */
      planType?: string
    }

/**
 * Picks the account for one attempt. Pure: the caller supplies states, the clock and (for
 * capacity_weighted) the random source. Accounts that cannot take the request are filtered out
 * first; a usable pinned account wins; the routing strategy chooses among the rest.
 */
export function selectAccount(
  accounts: readonly AccountState[],
  now: number,
  options: SelectionOptions,
): Selection {
  const gates = options.gates ?? []
  const candidates = accounts.filter(
    (a) => !options.exclude?.has(a.id) && exclusionOf(a, now, gates) === null,
  )
  const pinned = candidates.find((a) => a.id === options.pinnedAccountId)
  if (pinned) return { kind: 'selected', account: pinned, sticky: true }
  if (candidates.length > 0) {
    const account = pickByStrategy(options.strategy ?? DEFAULT_ROUTING_STRATEGY, candidates, {
      now,
      preferEarlierReset: options.preferEarlierReset,
      random: options.random ?? Math.random,
      after: options.after,
    })
    return { kind: 'selected', account, sticky: false }
  }
  return exhausted(accounts, now, options.exclude, gates)
}

/** Out for this request whatever happens next: only a person (or a new key or plan) changes it. */
const GONE = new Set<ExclusionReason>(['paused', 'deactivated', 'not_allowed', 'model_unavailable'])
/** Out until a window resets: waiting helps, and says until when. */
const WAIT_FOR_RESET = new Set<ExclusionReason>(['limited', 'headroom'])

function exhausted(
  accounts: readonly AccountState[],
  now: number,
  tried: ReadonlySet<string> | undefined,
  gates: readonly AccountGate[],
): Extract<Selection, { kind: 'exhausted' }> {
  // An account tried for this request and now usable again failed it: it counts as cooling down.
  const exclusions = accounts.map(
    (a) =>
      exclusionOf(a, now, gates) ?? { reason: 'cooling_down' as const, until: a.cooldownUntil },
  )
  const why = explainExclusions(exclusions, now)
  const alive = exclusions.filter((e) => !GONE.has(e.reason))
  if (alive.length === 0) {
    const message =
      accounts.length === 0
        ? 'No accounts are configured. Add one in the dashboard (Accounts → Add account) or run `codex-lb accounts import ~/.codex/auth.json`.'
        : `No account can take this request: ${why}. Reactivate or re-login an account in the dashboard.`
    return { kind: 'exhausted', reason: 'no_accounts', message, retryAt: undefined, exclusions }
  }
  const earliest = (list: readonly Exclusion[]) => {
    const times = list.map((e) => e.until ?? null).filter((t): t is number => t !== null && t > now)
    return times.length ? Math.min(...times) : undefined
  }
  if (alive.every((e) => WAIT_FOR_RESET.has(e.reason))) {
    const retryAt = earliest(alive)
    const first = accounts.find((a, i) => exclusions[i]!.until === retryAt && retryAt !== undefined)
    return {
      kind: 'exhausted',
      reason: 'limited',
      message: `The usage limit has been reached on every account (${why}).`,
      retryAt,
      exclusions,
      ...(first ? { planType: first.planType } : {}),
    }
  }
  if (alive.some((e) => e.reason === 'at_capacity')) {
    return {
      kind: 'exhausted',
      reason: 'at_capacity',
      message: `Every account that can serve this request is busy (${why}).`,
      retryAt: undefined,
      exclusions,
    }
  }
  const triedAll =
    tried !== undefined &&
    accounts.every((a, i) => tried.has(a.id) || GONE.has(exclusions[i]!.reason))
  return {
    kind: 'exhausted',
    reason: 'cooling_down',
    message: triedAll
      ? `No account could serve this request; every account failed or is cooling down (${why}).`
      : `Every account is cooling down after errors (${why}). Try again shortly.`,
    retryAt: earliest(alive.filter((e) => e.reason === 'cooling_down')),
    exclusions,
  }
}
