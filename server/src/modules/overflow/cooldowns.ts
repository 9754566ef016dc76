import type { UpstreamFailure } from '../../upstream/failure.js'
import { transientCooldownMs } from '../balancer/index.js'

/** An overflow upstream is an API with a key, not a subscription: it is never out for long. */
const MAX_COOLDOWN_MS = 5 * 60_000

/**
 * Per-upstream cooldowns after failures, like a failing account's (exponential for transient
 * trouble, the upstream's own wait for limits), kept in memory: an overflow upstream's health is
 * this process's view of it, and a restart simply tries it again.
 */
export class OverflowCooldowns {
  readonly #state = new Map<string, { until: number; errors: number }>()

  constructor(private readonly random: () => number = Math.random) {}

  until(id: string, now: number): number | undefined {
    const s = this.#state.get(id)
    return s && s.until > now ? s.until : undefined
  }

  fail(id: string, failure: UpstreamFailure, now: number): number {
    const errors = (this.#state.get(id)?.errors ?? 0) + 1
    const hinted =
      failure.retryAfterSeconds !== undefined ? failure.retryAfterSeconds * 1000 : undefined
    const reset = failure.resetAt !== undefined ? failure.resetAt - now : undefined
    const wait = Math.min(
      MAX_COOLDOWN_MS,
      Math.max(1000, hinted ?? reset ?? transientCooldownMs(errors, this.random)),
    )
    this.#state.set(id, { until: now + wait, errors })
    return now + wait
  }

  succeed(id: string): void {
    this.#state.delete(id)
  }

  forget(id: string): void {
    this.#state.delete(id)
  }
}
