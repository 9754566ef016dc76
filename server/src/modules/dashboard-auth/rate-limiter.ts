/** 8 failures per 60 s per client address; the 9th attempt inside the window is refused. */
export const MAX_FAILURES = 8
export const FAILURE_WINDOW_MS = 60_000
// Bounds memory under a spray of addresses: past this many keys, stale ones are swept.
const SWEEP_THRESHOLD = 10_000

/**
 * A sliding log of failure times per key (in memory, per process). Callers check before doing the
 * expensive or sensitive work, record only real failures, and reset on success.
 */
export class FailureRateLimiter {
  readonly #failures = new Map<string, number[]>()

  constructor(
    readonly maxFailures = MAX_FAILURES,
    readonly windowMs = FAILURE_WINDOW_MS,
  ) {}

  /** Seconds until another attempt is allowed, or null when one is allowed now. */
  retryAfterSeconds(key: string, now: number): number | null {
    const recent = this.#recent(key, now)
    if (recent.length < this.maxFailures) return null
    const oldest = recent[0] ?? now
    return Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000))
  }

  recordFailure(key: string, now: number): void {
    const recent = this.#recent(key, now)
    recent.push(now)
    this.#failures.set(key, recent)
    if (this.#failures.size > SWEEP_THRESHOLD) this.#sweep(now)
  }

  reset(key: string): void {
    this.#failures.delete(key)
  }

  #recent(key: string, now: number): number[] {
    return (this.#failures.get(key) ?? []).filter((t) => now - t < this.windowMs)
  }

  #sweep(now: number): void {
    for (const [key, times] of this.#failures) {
      if (times.every((t) => now - t >= this.windowMs)) this.#failures.delete(key)
    }
  }
}
