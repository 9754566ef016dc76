import type { Kysely, QueryResult, Transaction } from 'kysely'
import { dialectOf } from '../../db/dialect.js'
import type { Database, LimitType } from '../../db/schema.js'
import { isDatabaseUnavailable } from '../../errors/database-unavailable.js'
import { releaseLater } from './release-later.js'
import { LAST_USED_STEP_MS, ReservationSql, type Settlement } from './reservation-sql.js'

export type { Settlement } from './reservation-sql.js'

export interface ReservationItem {
  readonly limitId: number
  readonly limitType: LimitType
  readonly reservedDelta: number
  /** The window the budget was taken from; adjustments after that window ended are dropped. */
  readonly expectedResetAt: number
}

export interface NewReservation {
  id: string
  apiKeyId: string
  model: string
  items: readonly ReservationItem[]
}

export interface FinalUsage {
  inputTokens: number
  outputTokens: number
  cachedInputTokens: number
  costMicrodollars: number
}

/** Thrown inside the reserve transaction to roll it back; never escapes the repository. */
class LimitContention extends Error {
  constructor(readonly limitId: number) {
    super('limit no longer has room')
  }
}

const affected = (result: QueryResult<unknown>) => Number(result.numAffectedRows ?? 0)
/** Past this many keys the last-stamped memory starts over rather than grow. */
const MAX_STAMPED_KEYS = 10_000

/**
 * Budget reservations against API-key limits. Every counter change is a conditional UPDATE, so
 * concurrent requests can never spend past a limit, and every status change is one too, so each
 * reservation is settled or released exactly once. The request path runs fixed SQL (ReservationSql).
 */
export class ReservationsRepository {
  readonly #sql: ReservationSql
  /** When this process last stamped each key's `last_used_at` (it moves once per step at most). */
  readonly #stamped = new Map<string, number>()

  constructor(private readonly db: Kysely<Database>) {
    this.#sql = new ReservationSql(dialectOf(db))
  }

  /** Starts a new window for an ended one, unless another request already did. */
  async restartWindow(limitId: number, seenResetAt: number, nextResetAt: number): Promise<void> {
    await this.db
      .updateTable('api_key_limits')
      .set({ current_value: 0, reset_at: nextResetAt })
      .where('id', '=', limitId)
      .where('reset_at', '=', seenResetAt)
      .execute()
  }

  /**
   * Takes every item's budget, all or nothing: `current + delta <= max` in the same window, per limit,
   * in id order (so two reservations never wait on each other's rows in opposite order). Returns null
   * when done, or the id of the limit that had no room left.
   */
  async reserve(reservation: NewReservation, now: number): Promise<number | null> {
    const items = [...reservation.items].sort((a, b) => a.limitId - b.limitId)
    try {
      const [only] = items
      if (this.#sql.dialect === 'postgres' && only && items.length === 1) {
        const result = await this.db.executeQuery(this.#sql.reserveOne(reservation, now))
        return affected(result) === 1 ? null : only.limitId
      }
      await this.db.transaction().execute(async (trx) => {
        for (const item of items) {
          const taken = await trx.executeQuery(this.#sql.take(item))
          if (affected(taken) === 0) throw new LimitContention(item.limitId)
        }
        await trx.executeQuery(this.#sql.insertReservation(reservation, now))
        for (const item of items) {
          await trx.executeQuery(this.#sql.insertItem(reservation, item, now))
        }
      })
      return null
    } catch (err) {
      if (err instanceof LimitContention) return err.limitId
      // The transaction may have committed though its answer was lost (see releaseLater).
      releaseLater(() => this.release(reservation, now))
      throw err
    }
  }

  /**
   * Writes settlements — reserved → finalized (each counter moves by actual − reserved, in the window
   * it was reserved in; an ended window is left alone; the key's `last_used_at` is stamped) or
   * reserved → released (the reserved budget given back) — and tells, per settlement, whether it
   * claimed its reservation (false: already settled or released) or why it failed. On SQLite the
   * batch is one transaction; on PostgreSQL each settlement is one statement. A failure rolls its
   * part back whole, so the reservation stays `reserved` for a retry or the sweeper.
   */
  async settle(batch: readonly Settlement[]): Promise<PromiseSettledResult<boolean>[]> {
    if (this.#sql.dialect === 'postgres') {
      return Promise.all(batch.map((s) => settled(this.#settleOnePg(s))))
    }
    try {
      return (await this.#settleSqlite(batch)).map((value) => ({ status: 'fulfilled', value }))
    } catch (err) {
      // The database is away or busy: every part would fail alike. Otherwise one settlement may be
      // at fault; each is tried alone so the others still land.
      if (batch.length === 1 || isDatabaseUnavailable(err)) {
        return batch.map(() => ({ status: 'rejected', reason: err }))
      }
      const out: PromiseSettledResult<boolean>[] = []
      for (const s of batch) {
        out.push(await settled(this.#settleSqlite([s]).then(([claimed]) => claimed === true)))
      }
      return out
    }
  }

  /** One settlement on its own (`settle` for a batch of one); throws its failure. */
  async settleOne(settlement: Settlement): Promise<boolean> {
    const [result] = await this.settle([settlement])
    if (result?.status !== 'fulfilled') throw result?.reason
    return result.value
  }

  /** reserved → released and every reserved budget given back (the sweeper, releaseLater). */
  release(reservation: NewReservation, now: number): Promise<boolean> {
    return this.settleOne({ kind: 'release', reservation, now })
  }

  async #settleOnePg(s: Settlement): Promise<boolean> {
    const stamp = s.kind === 'finalize' && this.#dueStamp(s.reservation.apiKeyId, s.now)
    const { rows } = await this.db.executeQuery<{ claimed: number }>(this.#sql.settleOne(s, stamp))
    const claimed = rows[0]?.claimed === 1
    if (claimed && stamp) this.#markStamped(s.reservation.apiKeyId, s.now)
    return claimed
  }

  async #settleSqlite(batch: readonly Settlement[]): Promise<boolean[]> {
    const stamps = new Map<string, number>()
    const claims = await this.db.transaction().execute(async (trx) => {
      const out: boolean[] = []
      for (const s of batch) out.push(await this.#settleIn(trx, s, stamps))
      for (const [apiKeyId, now] of stamps) await trx.executeQuery(this.#sql.stamp(apiKeyId, now))
      return out
    })
    for (const [apiKeyId, now] of stamps) this.#markStamped(apiKeyId, now)
    return claims
  }

  async #settleIn(
    trx: Transaction<Database>,
    s: Settlement,
    stamps: Map<string, number>,
  ): Promise<boolean> {
    const { reservation: r, now } = s
    if (affected(await trx.executeQuery(this.#sql.claim(s))) === 0) return false
    for (const item of r.items) {
      const actual = s.kind === 'finalize' ? (s.actuals.get(item.limitId) ?? 0) : 0
      await trx.executeQuery(this.#sql.adjust(item, actual - item.reservedDelta))
      await trx.executeQuery(this.#sql.itemActual(r.id, item.limitId, actual, now))
    }
    if (s.kind === 'finalize' && this.#dueStamp(r.apiKeyId, now)) {
      stamps.set(r.apiKeyId, Math.max(now, stamps.get(r.apiKeyId) ?? 0))
    }
    return true
  }

  /** Stamps `last_used_at` (a key without limits, on settle); at most once a second per key. */
  async touchLastUsed(apiKeyId: string, now: number): Promise<void> {
    if (!this.#dueStamp(apiKeyId, now)) return
    await this.db.executeQuery(this.#sql.stamp(apiKeyId, now))
    this.#markStamped(apiKeyId, now)
  }

  // Another replica may stamp in between: the statement's own condition keeps the value rising.
  #dueStamp(apiKeyId: string, now: number): boolean {
    const last = this.#stamped.get(apiKeyId)
    return last === undefined || now - last >= LAST_USED_STEP_MS
  }

  #markStamped(apiKeyId: string, now: number): void {
    if (this.#stamped.size >= MAX_STAMPED_KEYS) this.#stamped.clear()
    this.#stamped.set(apiKeyId, Math.max(now, this.#stamped.get(apiKeyId) ?? 0))
  }

  /** Reservations still `reserved` since before `cutoff`, with their items (for the sweeper). */
  async staleReserved(cutoff: number, limit: number): Promise<NewReservation[]> {
    const rows = await this.db
      .selectFrom('api_key_usage_reservations')
      .select(['id', 'api_key_id', 'model'])
      .where('status', '=', 'reserved')
      .where('updated_at', '<', cutoff)
      .limit(limit)
      .execute()
    const out: NewReservation[] = []
    for (const r of rows) {
      const items = await this.db
        .selectFrom('api_key_usage_reservation_items')
        .select(['limit_id', 'limit_type', 'reserved_delta', 'expected_reset_at'])
        .where('reservation_id', '=', r.id)
        .execute()
      out.push({
        id: r.id,
        apiKeyId: r.api_key_id,
        model: r.model,
        items: items.map((i) => ({
          limitId: i.limit_id,
          limitType: i.limit_type,
          reservedDelta: i.reserved_delta,
          expectedResetAt: i.expected_reset_at,
        })),
      })
    }
    return out
  }
}

function settled<T>(promise: Promise<T>): Promise<PromiseSettledResult<T>> {
  return promise.then(
    (value) => ({ status: 'fulfilled', value }),
    (reason: unknown) => ({ status: 'rejected', reason }),
  )
}
