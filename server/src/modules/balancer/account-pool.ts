import type { FastifyBaseLogger } from 'fastify'
import type { Clock } from '../../lib/clock.js'
import type { UpstreamFailure } from '../../upstream/failure.js'
import type { AccountState } from './account-state.js'
import type { AccountGate } from './exclusions.js'
import { markFailure, markSuccess, type StatePatch } from './failure-marks.js'
import type { BalancerRepository } from './repository.js'
import { selectAccount, type Selection, type SelectionOptions } from './select-account.js'
import type { RoutePosition, RoutingStrategy } from './strategies/index.js'

export interface PoolOptions {
  /** How long a loaded snapshot serves requests before the database is read again. */
  snapshotTtlMs: number
  stickyTtlMs: number
  /** Uniform in [0, 1) for capacity_weighted (tests pin it); Math.random by default. */
  random?: () => number
  /**
   * Told once a change other replicas must see is stored: an account's state (a cooldown, a
   * limit) or a conversation moved to another account.
   */
  onShared?: (change: { topic: 'accounts' } | { topic: 'pin'; key: string }) => void
}

/** One live usage sample's windows (percent used, reset epoch ms); absent: not in the sample. */
export interface LiveUsageWindows {
  primary?: { usedPercent: number; resetAt: number | null }
  secondary?: { usedPercent: number; resetAt: number | null }
}

interface Pin {
  accountId: string
  updatedAt: number
}

const PIN_CACHE_MAX = 20_000
const PIN_TOUCH_MS = 60_000
const SELECTED_FLUSH_MS = 5_000

/**
 * The account pool: balancer state cached in memory for the hot path, every change written through
 * to the database so restarts and other replicas see it. Reads refresh after `snapshotTtlMs`.
 */
export class AccountPool {
  #states = new Map<string, AccountState>()
  #loadedAt = -Infinity
  #loading: Promise<void> | undefined
  /** Bumped by every invalidation, so a reload knows whether what it read is still current. */
  #generation = 0
  #pins = new Map<string, Pin>()
  #selectedDirty = new Map<string, number>()
  #flushTimer: NodeJS.Timeout | undefined
  // Where round_robin continues: per process, so replicas rotate independently.
  #lastPick: RoutePosition | undefined

  constructor(
    private readonly repo: BalancerRepository,
    private readonly clock: Clock,
    private readonly log: FastifyBaseLogger,
    private readonly options: PoolOptions,
  ) {}

  /** Forget the snapshot: the next request reads the database (after imports, pauses, polls). */
  invalidate(): void {
    this.#generation++
    this.#loadedAt = -Infinity
  }

  async states(): Promise<AccountState[]> {
    // A reload that began before an invalidation may hold the old rows: then read once more.
    while (this.clock.now() - this.#loadedAt > this.options.snapshotTtlMs) {
      this.#loading ??= this.#reload(this.#generation).finally(() => (this.#loading = undefined))
      await this.#loading
    }
    return [...this.#states.values()]
  }

  async #reload(generation: number): Promise<void> {
    const loaded = await this.repo.loadStates()
    const next = new Map<string, AccountState>()
    for (const s of loaded) {
      // A selection made here and not yet flushed is newer than what the database holds.
      const pending = this.#selectedDirty.get(s.id)
      next.set(s.id, pending === undefined ? s : { ...s, lastSelectedAt: pending })
    }
    this.#states = next
    if (generation === this.#generation) this.#loadedAt = this.clock.now()
  }

  /** Chooses an account for one attempt, honouring and maintaining the conversation's pin. */
  async select(options: {
    stickyKey: string | undefined
    /** Wins over the sticky pin while usable: the account that holds a conversation's state. */
    preferAccountId?: string | undefined
    exclude: ReadonlySet<string>
    /** Request-specific checks on top of each account's own state. */
    gates?: readonly AccountGate[] | undefined
    preferEarlierReset: boolean
    /** The routing strategy in the settings; most_remaining when absent. */
    strategy?: RoutingStrategy | undefined
    /** Idle time after which a pin no longer holds (settings override the configured default). */
    stickyTtlMs?: number
  }): Promise<Selection> {
    const states = await this.states()
    const now = this.clock.now()
    const ttl = options.stickyTtlMs ?? this.options.stickyTtlMs
    const pin = options.stickyKey ? await this.#pin(options.stickyKey, now, ttl) : undefined
    // Assigned, not spread: conditional spreads here cost more than the selection (per request).
    const picking: SelectionOptions = {
      preferEarlierReset: options.preferEarlierReset,
      random: this.options.random ?? Math.random,
      after: this.#lastPick,
      exclude: options.exclude,
      pinnedAccountId: options.preferAccountId ?? pin?.accountId,
    }
    if (options.strategy) picking.strategy = options.strategy
    if (options.gates) picking.gates = options.gates
    const selection = selectAccount(states, now, picking)
    if (selection.kind === 'selected') {
      const { id, routeOrder, createdAt } = selection.account
      // A pinned conversation does not move the rotation: new conversations keep taking turns.
      if (!selection.sticky) this.#lastPick = { id, routeOrder, createdAt }
      this.#noteSelected(id, now)
      if (options.stickyKey) this.#repin(options.stickyKey, selection.account.id, pin, now)
    }
    return selection
  }

  async recordFailure(id: string, failure: UpstreamFailure): Promise<void> {
    const state = this.#states.get(id)
    if (!state) return
    await this.#apply(state, markFailure(state, failure, this.clock.now()))
  }

  async recordSuccess(id: string): Promise<void> {
    const state = this.#states.get(id)
    const patch = state && markSuccess(state)
    if (state && patch) await this.#apply(state, patch)
  }

  /**
   * Usage the traffic just reported for one account (response headers, a rate-limit event): the
   * snapshot takes it at once, so the next pick sees it before the store and the reload.
   */
  noteUsage(id: string, windows: LiveUsageWindows): void {
    const state = this.#states.get(id)
    if (!state) return
    const next = { ...state }
    if (windows.primary) {
      next.primaryUsedPercent = windows.primary.usedPercent
      next.primaryResetAt = windows.primary.resetAt
    }
    if (windows.secondary) {
      next.secondaryUsedPercent = windows.secondary.usedPercent
      next.secondaryResetAt = windows.secondary.resetAt
    }
    this.#states.set(id, next)
  }

  async #apply(state: AccountState, patch: StatePatch): Promise<void> {
    if (Object.keys(patch).length === 0) return
    this.#states.set(state.id, { ...state, ...stripUndefined(patch) })
    try {
      await this.repo.writeState(state.id, patch, this.clock.now())
      this.options.onShared?.({ topic: 'accounts' })
    } catch (err) {
      this.log.error({ err, accountId: state.id }, 'could not persist account state')
    }
  }

  /** Drops one cached pin (or all): another replica moved the conversation. */
  forgetPin(key?: string): void {
    if (key === undefined) this.#pins.clear()
    else this.#pins.delete(key)
  }

  async #pin(key: string, now: number, ttlMs: number): Promise<Pin | undefined> {
    let pin = this.#pins.get(key)
    // Looks expired here: another replica may have kept it alive since, so the store decides.
    if (pin && now - pin.updatedAt > ttlMs) pin = undefined
    if (!pin) {
      try {
        pin = await this.repo.getPin(key)
      } catch (err) {
        this.log.warn({ err }, 'sticky session lookup failed')
      }
      if (pin) this.#remember(key, pin)
    }
    if (pin && now - pin.updatedAt > ttlMs) return undefined
    return pin
  }

  #repin(key: string, accountId: string, old: Pin | undefined, now: number): void {
    if (old && old.accountId === accountId && now - old.updatedAt < PIN_TOUCH_MS) return
    this.#remember(key, { accountId, updatedAt: now })
    const moved = !old || old.accountId !== accountId
    this.repo
      .upsertPin(key, accountId, now)
      .then(() => moved && this.options.onShared?.({ topic: 'pin', key }))
      .catch((err: unknown) => this.log.warn({ err }, 'sticky session write failed'))
  }

  #remember(key: string, pin: Pin): void {
    this.#pins.delete(key)
    this.#pins.set(key, pin)
    if (this.#pins.size > PIN_CACHE_MAX) {
      const oldest = this.#pins.keys().next().value
      if (oldest !== undefined) this.#pins.delete(oldest)
    }
  }

  #noteSelected(id: string, now: number): void {
    const state = this.#states.get(id)
    if (state) this.#states.set(id, { ...state, lastSelectedAt: now })
    this.#selectedDirty.set(id, now)
    this.#flushTimer ??= setTimeout(() => void this.flush(), SELECTED_FLUSH_MS).unref()
  }

  /** Persists last-selected times (batched: one write per account per few seconds, not per request). */
  async flush(): Promise<void> {
    clearTimeout(this.#flushTimer)
    this.#flushTimer = undefined
    const dirty = [...this.#selectedDirty]
    this.#selectedDirty.clear()
    for (const [id, at] of dirty) {
      try {
        await this.repo.writeState(id, { lastSelectedAt: at }, at)
      } catch (err) {
        this.log.warn({ err, accountId: id }, 'could not persist last selection time')
      }
    }
  }

  async pruneExpiredPins(): Promise<number> {
    const cutoff = this.clock.now() - this.options.stickyTtlMs
    for (const [k, p] of this.#pins) if (p.updatedAt < cutoff) this.#pins.delete(k)
    return this.repo.deletePinsOlderThan(cutoff)
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}
