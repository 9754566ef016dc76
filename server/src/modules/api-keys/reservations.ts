import { randomUUID } from 'node:crypto'
import { ProxyModelNotAllowed, ProxyRateLimitError } from '../../errors/index.js'
import type { Clock } from '../../lib/clock.js'
import { isModelAllowed, type ApiKeyPrincipal } from './access.js'
import {
  RESERVATION_BUDGET,
  actualUsage,
  nextResetAt,
  ruleAppliesTo,
  type LimitRule,
  type SettledUsage,
} from './limits.js'
import type { KeyCache } from './key-cache.js'
import type { ApiKeysRepository } from './repository.js'
import type { NewReservation, ReservationsRepository } from './reservations-repository.js'
import { WriteBatcher } from './write-batch.js'

/** A request's hold on its key's limits; hand it back to `settle` or `release`, exactly once. */
export interface Reservation extends NewReservation {
  /** false when no limit applied: nothing was written, only `last_used_at` is stamped on settle. */
  readonly persisted: boolean
}

// A lost race means another request took the room; re-reading shows either less room or none.
const MAX_ATTEMPTS = 8

function limitExceeded(rule: LimitRule, model: string, now: number): ProxyRateLimitError {
  const scope = rule.modelFilter === null ? '' : ` for model ${model}`
  const when = new Date(rule.resetAt).toISOString()
  return new ProxyRateLimitError(
    `API key ${rule.limitType} ${rule.limitWindow} limit exceeded${scope}. Usage resets at ${when}.`,
    'rate_limit_exceeded',
    (rule.resetAt - now) / 1000,
  )
}

/** Holds `min(room left, budget)` on each rule (the rules that apply to the request's model). */
function newReservation(
  apiKeyId: string,
  model: string,
  limits: readonly LimitRule[],
): Reservation {
  return {
    id: `ur_${randomUUID().replace(/-/g, '')}`,
    apiKeyId,
    model,
    persisted: limits.length > 0,
    items: limits.map((rule) => ({
      limitId: rule.id,
      limitType: rule.limitType,
      reservedDelta: Math.min(
        rule.maxValue - rule.currentValue,
        RESERVATION_BUDGET[rule.limitType],
      ),
      expectedResetAt: rule.resetAt,
    })),
  }
}

/**
 * Per-request budget accounting for the proxy (seed 002 §5): `reserve` before forwarding, then
 * `settle` with the real usage or `release` when there is none. Listing models never reserves.
 */
export class ReservationsService {
  // Persisted reservations are settled once by their status column; in-memory ones by this set.
  readonly #done = new WeakSet<Reservation>()
  /** Reservations, settlements and releases go through it: one transaction per batch. */
  readonly #writer: WriteBatcher

  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly repository: ReservationsRepository,
    private readonly clock: Clock,
    /** The key's rules as last read: where a roomy reservation goes without reading them again. */
    private readonly cache?: KeyCache,
  ) {
    this.#writer = new WriteBatcher((batch) => repository.write(batch))
  }

  /**
   * null without a key (API-key auth off). Throws 403 `model_not_allowed` and 429
   * `rate_limit_exceeded` (naming the limit and when it resets); otherwise holds a budget on every
   * limit that applies to `model`: global ones and those scoped to exactly this model.
   */
  async reserve(principal: ApiKeyPrincipal | null, model: string): Promise<Reservation | null> {
    if (principal === null) return null
    if (!isModelAllowed(principal, model)) throw new ProxyModelNotAllowed(model)
    const quick = await this.#reserveFromCache(principal.id, model)
    if (quick) return quick
    // Too little room as last seen: budget this key's finished requests are giving back comes first.
    await this.#writer.settled(principal.id)
    for (let attempt = 1; ; attempt += 1) {
      const limits = (await this.#currentLimits(principal.id)).filter((r) =>
        ruleAppliesTo(r, model),
      )
      const spent = limits.find((rule) => rule.currentValue >= rule.maxValue)
      if (spent) throw limitExceeded(spent, model, this.clock.now())
      const reservation = newReservation(principal.id, model, limits)
      if (!reservation.persisted) return reservation
      const now = this.clock.now()
      const contended = await this.#writer.reserve({ kind: 'reserve', reservation, now })
      if (contended === null) return reservation
      if (attempt >= MAX_ATTEMPTS) {
        const rule = limits.find((r) => r.id === contended)
        throw rule
          ? limitExceeded(rule, model, this.clock.now())
          : new ProxyRateLimitError('API key limit exceeded')
      }
    }
  }

  /**
   * reserved → finalized, moving each counter by actual − reserved. No-op if done. Written with the
   * other writes of the same moment (WriteBatcher); resolves once written.
   */
  async settle(reservation: Reservation | null, usage: SettledUsage): Promise<void> {
    if (reservation === null) return
    const now = this.clock.now()
    if (!reservation.persisted) {
      if (this.#claimOnce(reservation))
        await this.repository.touchLastUsed(reservation.apiKeyId, now)
      return
    }
    const actuals = new Map(
      reservation.items.map((item) => [item.limitId, actualUsage(item.limitType, usage)]),
    )
    await this.#writer.settle({
      kind: 'finalize',
      reservation,
      actuals,
      usage: {
        inputTokens: Math.max(0, Math.round(usage.inputTokens)),
        outputTokens: Math.max(0, Math.round(usage.outputTokens)),
        cachedInputTokens: Math.max(0, Math.round(usage.cachedInputTokens)),
        costMicrodollars: actualUsage('cost_usd', usage),
      },
      now,
    })
  }

  /**
   * Releases reservations left `reserved` for longer than any request lives (a crash, or a database
   * outage that outlasted the settlement retries), so their budget comes back — but not one whose
   * settlement is queued here: that one carries the real usage. Returns how many.
   */
  async sweepStale(maxAgeMs: number): Promise<number> {
    const stale = await this.repository.staleReserved(this.clock.now() - maxAgeMs, 500)
    let released = 0
    for (const r of stale) {
      if (this.#writer.holds(r.id)) continue
      if (await this.repository.release(r, this.clock.now())) released++
    }
    return released
  }

  /** reserved → released, giving the budget back (no usage known: error, abort, no account). */
  async release(reservation: Reservation | null): Promise<void> {
    if (reservation === null) return
    if (!reservation.persisted) {
      this.#claimOnce(reservation)
      return
    }
    await this.#writer.settle({ kind: 'release', reservation, now: this.clock.now() })
  }

  #claimOnce(reservation: Reservation): boolean {
    // Only for in-memory reservations: persisted ones are claimed by a conditional status UPDATE.
    if (this.#done.has(reservation)) return false
    this.#done.add(reservation)
    return true
  }

  /**
   * Without reading the rules: when the cached rules all have a full budget of room left in a window
   * still running, one conditional reservation takes it, the same budget `reserve` would take after
   * reading. The UPDATE's own `current + budget <= max` and `reset_at` conditions decide; when they
   * refuse (a stale cache, a limit near full, a removed rule) undefined sends `reserve` the long way.
   */
  async #reserveFromCache(apiKeyId: string, model: string): Promise<Reservation | undefined> {
    const cached = this.cache?.rules(apiKeyId)
    if (cached === undefined) return undefined
    const now = this.clock.now()
    const limits = cached.filter((r) => ruleAppliesTo(r, model))
    const roomy = (r: LimitRule) =>
      r.resetAt > now && r.maxValue - r.currentValue >= RESERVATION_BUDGET[r.limitType]
    if (!limits.every(roomy)) return undefined
    const reservation = newReservation(apiKeyId, model, limits)
    if (!reservation.persisted) return reservation
    const contended = await this.#writer.reserve({ kind: 'reserve', reservation, now })
    return contended === null ? reservation : undefined
  }

  /** The key's limits with ended windows started over (lazily, seed 004 §7.4), then re-read. */
  async #currentLimits(apiKeyId: string): Promise<LimitRule[]> {
    const readAt = this.cache?.generation
    const now = this.clock.now()
    let limits = await this.keys.limitsOf(apiKeyId)
    const ended = limits.filter((rule) => rule.resetAt <= now)
    if (ended.length > 0) {
      for (const rule of ended) {
        await this.repository.restartWindow(
          rule.id,
          rule.resetAt,
          nextResetAt(rule.resetAt, rule.limitWindow, now),
        )
      }
      limits = await this.keys.limitsOf(apiKeyId)
    }
    if (readAt !== undefined) this.cache?.setRules(apiKeyId, limits, readAt)
    return limits
  }
}
