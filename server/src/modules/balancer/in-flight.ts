/**
 * Upstream streams in flight per account, in this process, and the queue of requests waiting for
 * one. A slot is taken when an attempt is about to open upstream and given back exactly once when
 * that attempt ends. A freed slot goes straight to the oldest waiter that can use the account, so
 * a request arriving later cannot take it first (FIFO), and a waiter never misses a release.
 */

/** One held slot on one account. `release` is idempotent: only the first call gives it back. */
export interface Lease {
  readonly accountId: string
  release(): void
}

export type WaitOutcome =
  /** A slot on this account was handed over: use it, or release it for the next waiter. */
  | { kind: 'slot'; lease: Lease }
  /** Nothing was handed over yet: look again (caps, limits or accounts may have changed). */
  | { kind: 'recheck' }
  | { kind: 'timeout' }
  | { kind: 'aborted' }

export interface InFlightOptions {
  /** Longest queue; a request beyond it is refused at once, so memory stays bounded. */
  maxQueue: number
  /** How often a waiter looks again without a release (a raised cap, a limit that lifted). */
  recheckMs: number
  /** Told how long each request stayed in the queue, when it leaves it (metrics). */
  onLeftQueue?: (waitedMs: number) => void
}

/** A request's place in the queue, from its first wait until it gets a slot or gives up. */
export class QueueTicket {
  /** Which accounts this request waits for (those that were only at their cap). */
  accepts: (accountId: string) => boolean = () => true
  #settle: ((outcome: WaitOutcome) => void) | undefined
  readonly enqueuedAt = Date.now()

  constructor(
    private readonly owner: InFlight,
    private readonly recheckMs: number,
  ) {}

  get waiting(): boolean {
    return this.#settle !== undefined
  }

  /** Waits for a handed-over slot, a recheck tick, the deadline (epoch ms) or the abort. */
  wait(deadline: number, signal: AbortSignal): Promise<WaitOutcome> {
    if (signal.aborted) return Promise.resolve({ kind: 'aborted' })
    const left = deadline - Date.now()
    if (left <= 0) return Promise.resolve({ kind: 'timeout' })
    return new Promise<WaitOutcome>((resolve) => {
      const onAbort = () => this.offer({ kind: 'aborted' })
      const timer = setTimeout(
        () => this.offer(left <= this.recheckMs ? { kind: 'timeout' } : { kind: 'recheck' }),
        Math.min(left, this.recheckMs),
      )
      signal.addEventListener('abort', onAbort, { once: true })
      this.#settle = (outcome) => {
        this.#settle = undefined
        clearTimeout(timer)
        signal.removeEventListener('abort', onAbort)
        resolve(outcome)
      }
    })
  }

  /** @internal Ends the current wait with this outcome; false when the ticket was not waiting. */
  offer(outcome: WaitOutcome): boolean {
    const settle = this.#settle
    if (!settle) return false
    settle(outcome)
    return true
  }

  /** Out of the queue for good (served, timed out, or the client left). */
  leave(): void {
    this.offer({ kind: 'aborted' })
    this.owner.dequeue(this)
  }
}

export class InFlight {
  readonly #held = new Map<string, number>()
  /** The cap each account was last acquired under: a release frees a slot only below it. */
  readonly #caps = new Map<string, number>()
  /** Insertion-ordered: iteration is FIFO, and leaving is O(1). */
  readonly #queue = new Set<QueueTicket>()

  constructor(private readonly options: InFlightOptions) {}

  /** Streams in flight on this account now. */
  count(accountId: string): number {
    return this.#held.get(accountId) ?? 0
  }

  /** Every account with a stream in flight, and how many. */
  counts(): Record<string, number> {
    return Object.fromEntries(this.#held)
  }

  /** Streams in flight on every account together (the dashboard's "in flight now"). */
  get total(): number {
    let sum = 0
    for (const n of this.#held.values()) sum += n
    return sum
  }

  /** Requests waiting for a slot. */
  get queued(): number {
    return this.#queue.size
  }

  /** Takes a slot when fewer than `cap` are held; undefined when the account is full. */
  tryAcquire(accountId: string, cap: number): Lease | undefined {
    this.#caps.set(accountId, cap)
    const held = this.count(accountId)
    if (held >= cap) return undefined
    this.#held.set(accountId, held + 1)
    return this.#lease(accountId)
  }

  /** A place in the queue; undefined when the queue is full. */
  enqueue(): QueueTicket | undefined {
    if (this.#queue.size >= this.options.maxQueue) return undefined
    const ticket = new QueueTicket(this, this.options.recheckMs)
    this.#queue.add(ticket)
    return ticket
  }

  /** @internal */
  dequeue(ticket: QueueTicket): void {
    if (this.#queue.delete(ticket)) this.options.onLeftQueue?.(Date.now() - ticket.enqueuedAt)
  }

  #lease(accountId: string): Lease {
    let released = false
    return {
      accountId,
      release: () => {
        if (released) return
        released = true
        this.#release(accountId)
      },
    }
  }

  #release(accountId: string): void {
    const held = this.count(accountId)
    const cap = this.#caps.get(accountId) ?? Infinity
    // Below the cap after this release: the slot is free, so the oldest waiter for it gets it.
    if (held - 1 < cap) {
      for (const ticket of this.#queue) {
        if (!ticket.waiting || !ticket.accepts(accountId)) continue
        if (ticket.offer({ kind: 'slot', lease: this.#lease(accountId) })) return
      }
    }
    if (held <= 1) this.#held.delete(accountId)
    else this.#held.set(accountId, held - 1)
  }
}
