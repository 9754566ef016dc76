import type { AccountState } from './account-state.js'
import type { AccountGate } from './exclusions.js'
import type { InFlight, Lease, QueueTicket } from './in-flight.js'
import type { Selection } from './select-account.js'
import type { SharedSlots } from './shared-slots.js'

type Exhausted = Extract<Selection, { kind: 'exhausted' }>

export interface CapacityOptions {
  /** The global cap, for accounts without their own. */
  defaultCap: number
  /** Longest wait for a free slot, over the whole request. */
  waitMs: number
  /** Aborted when the client leaves: a queued request then leaves the queue. */
  signal: AbortSignal
  /** What `select` throws when the client left while queued. */
  aborted: () => Error
  /** The caps across replicas (PostgreSQL leases); absent or inactive: this process only. */
  shared?: SharedSlots | undefined
}

/** The pool's `select` as `RequestCapacity.select` calls it (with the cap gate added). */
interface Selector<O> {
  select(options: O): Promise<Selection>
}

type SelectOptions = { exclude: ReadonlySet<string>; gates?: readonly AccountGate[] | undefined }

export interface Picked {
  selection: Selection
  /** The slot taken on the selected account; the caller gives it back when the attempt ends. */
  lease?: Lease
  /** The client left while the request waited for a slot. */
  aborted?: boolean
}

/** The exhaustion of a request whose pick kept filling up under it (never expected: see `pick`). */
function busy(): Exhausted {
  return {
    kind: 'exhausted',
    reason: 'at_capacity',
    message:
      'Every account that can serve this request is busy (1 account is at its concurrency cap).',
    exclusions: [{ reason: 'at_capacity' }],
    retryAt: undefined,
  }
}

/**
 * One request's side of the per-account stream caps: the gate that keeps accounts at their cap
 * out of selection, the slot taken on the chosen account, and the request's place in the queue
 * while every account it could use is full.
 */
export class RequestCapacity {
  /** Accounts the last selection left out only for being full: what this request waits for. */
  readonly #full = new Set<string>()
  /** Accounts whose cap the other replicas' streams fill (until this request waits again). */
  readonly #fullElsewhere = new Set<string>()
  /** A slot a release handed to this request while it queued, not used yet. */
  #handed: Lease | undefined
  #ticket: QueueTicket | undefined
  /** The slot on the account the last `select` picked, until `holding` takes it. */
  #lease: Lease | undefined
  #deadline: number | undefined

  constructor(
    private readonly inFlight: InFlight,
    private readonly options: CapacityOptions,
  ) {}

  capOf(account: AccountState): number {
    return account.maxStreams ?? this.options.defaultCap
  }

  /** Out while every slot is taken; a slot handed to this request counts as free for it. */
  readonly gate: AccountGate = (account) => {
    const mine = this.#handed?.accountId === account.id ? 1 : 0
    const free = this.inFlight.count(account.id) - mine < this.capOf(account)
    if (free && !this.#fullElsewhere.has(account.id)) return null
    this.#full.add(account.id)
    return { reason: 'at_capacity' }
  }

  /**
   * The pool's selection with the caps in force, holding a slot on the account it picks (run the
   * attempt through `holding`). When only caps are in the way, the request waits in the queue.
   */
  async select<O extends SelectOptions>(pool: Selector<O>, options: O): Promise<Selection> {
    const gates = [...(options.gates ?? []), this.gate]
    const picked = await this.pick(() => pool.select({ ...options, gates }), options.exclude)
    if (picked.aborted) throw this.options.aborted()
    this.#lease = picked.lease
    return picked.selection
  }

  /**
   * Runs one attempt on the selected account with its slot: `attempt` hands the slot to whatever
   * it opened (given back when that ends); when it opened nothing or throws, it is given back here.
   */
  async holding<R extends { kind: string }>(attempt: (lease: Lease) => Promise<R>): Promise<R> {
    const lease = this.#lease
    this.#lease = undefined
    if (!lease) throw new Error('holding() without a selected account')
    let result: R | undefined
    try {
      result = await attempt(lease)
      return result
    } finally {
      if (result?.kind !== 'opened') lease.release()
    }
  }

  /**
   * Runs `select` (whose gates include `gate`) and takes a slot on the account it picks. While the
   * only thing in the way is caps, waits in the queue (FIFO with other requests) and selects again
   * when a slot frees; after the wait the exhaustion says how long it waited. Leaves the queue and
   * gives back an unused handed-over slot before it returns.
   */
  async pick(select: () => Promise<Selection>, tried: ReadonlySet<string>): Promise<Picked> {
    try {
      return await this.#pick(select, tried)
    } finally {
      this.#leaveQueue()
      this.#giveBackHanded()
    }
  }

  async #pick(select: () => Promise<Selection>, tried: ReadonlySet<string>): Promise<Picked> {
    for (let raced = 0; ;) {
      this.#full.clear()
      const selection = await select()
      if (selection.kind === 'selected') {
        const local = this.#take(selection.account)
        const lease = local && (await this.#shareOf(local, selection.account))
        if (lease) return { selection, lease }
        if (local) {
          // Free here, full across the replicas: another account, or the queue when none is free.
          this.#fullElsewhere.add(selection.account.id)
          continue
        }
        // The account filled up between the pick and now: the gate sees it next time. Should the
        // two ever disagree, this waits like any full account instead of spinning.
        if (++raced < 3) continue
        this.#full.add(selection.account.id)
      } else if (selection.reason !== 'at_capacity') {
        this.#giveBackHanded()
        return { selection }
      }
      this.#deadline ??= Date.now() + this.options.waitMs
      const waited = await this.#wait(tried)
      this.#fullElsewhere.clear()
      if (waited === 'retry') continue
      const exhausted = selection.kind === 'exhausted' ? selection : busy()
      if (waited === 'aborted') return { selection: exhausted, aborted: true }
      return { selection: this.#explainWait(exhausted, waited) }
    }
  }

  /**
   * The local slot, plus a lease across replicas when other replicas are up; undefined (and the
   * local slot given back) when their streams fill the account's cap. The shared lease goes before
   * the local slot, so a waiter handed that slot finds the lease gone.
   */
  async #shareOf(local: Lease, account: AccountState): Promise<Lease | undefined> {
    const shared = this.options.shared
    if (!shared?.active()) return local
    const leaseId = await shared.acquire(account.id, this.capOf(account))
    if (leaseId === null) {
      local.release()
      return undefined
    }
    let released = false
    return {
      accountId: local.accountId,
      release: () => {
        if (released) return
        released = true
        void shared.release(leaseId).finally(() => local.release())
      },
    }
  }

  #take(account: AccountState): Lease | undefined {
    const handed = this.#handed
    this.#handed = undefined
    let lease: Lease | undefined
    if (handed?.accountId === account.id) lease = handed
    else {
      handed?.release()
      lease = this.inFlight.tryAcquire(account.id, this.capOf(account))
    }
    if (lease) this.#leaveQueue()
    return lease
  }

  async #wait(tried: ReadonlySet<string>): Promise<'retry' | 'timeout' | 'full' | 'aborted'> {
    // A handed slot the last selection could not use (its account failed meanwhile) goes on.
    this.#giveBackHanded()
    this.#ticket ??= this.inFlight.enqueue()
    if (!this.#ticket) return 'full'
    const full = new Set(this.#full)
    this.#ticket.accepts = (id) => full.has(id) && !tried.has(id)
    const outcome = await this.#ticket.wait(this.#deadline!, this.options.signal)
    if (outcome.kind === 'slot') this.#handed = outcome.lease
    return outcome.kind === 'slot' || outcome.kind === 'recheck' ? 'retry' : outcome.kind
  }

  #explainWait(selection: Exhausted, waited: 'timeout' | 'full'): Exhausted {
    const seconds = Math.round(this.options.waitMs / 1000)
    const why =
      waited === 'full'
        ? `The queue for a free slot is full (${this.inFlight.queued} requests waiting).`
        : `No slot freed up within ${seconds}s.`
    return { ...selection, message: `${selection.message} ${why} Try again shortly.` }
  }

  #giveBackHanded(): void {
    this.#handed?.release()
    this.#handed = undefined
  }

  #leaveQueue(): void {
    this.#ticket?.leave()
    this.#ticket = undefined
  }
}
