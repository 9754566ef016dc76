import type { Kysely, QueryResult, Transaction } from 'kysely'
import { dialectOf } from '../../db/dialect.js'
import type { Database, LimitType } from '../../db/schema.js'
import { isDatabaseUnavailable } from '../../errors/database-unavailable.js'
import { releaseLater } from './release-later.js'
import {
  LAST_USED_STEP_MS,
  ReservationSql,
  type ReserveOp,
  type Settlement,
  type WriteOp,
  type WriteOutcome,
} from './reservation-sql.js'

export type { Settlement, WriteOp, WriteOutcome } from './reservation-sql.js'

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
   * when done, or the id of the limit that had no room left. (A batch of one: see `write`.)
   */
  async reserve(reservation: NewReservation, now: number): Promise<number | null> {
    return (await this.#writeOne({ kind: 'reserve', reservation, now })) as number | null
  }

  /**
   * Writes a batch of reservations and settlements and tells each one's outcome or failure.
   * Reservations take their budget as `reserve` says. Settlements move reserved → finalized (each
   * counter by actual − reserved, in the window it was reserved in; an ended window is left alone;
   * the key's `last_used_at` is stamped) or reserved → released (the reserved budget given back).
   * On SQLite the batch is one transaction; on PostgreSQL each one is a statement (a multi-limit
   * reservation a transaction). A failure rolls its part back whole: a reservation is not taken, a
   * settled one stays `reserved` for a retry or the sweeper.
   */
  async write(batch: readonly WriteOp[]): Promise<PromiseSettledResult<WriteOutcome>[]> {
    if (this.#sql.dialect === 'postgres') {
      return Promise.all(
        batch.map((op) =>
          settled<WriteOutcome>(op.kind === 'reserve' ? this.#reservePg(op) : this.#settlePg(op)),
        ),
      )
    }
    try {
      const outcomes = await this.#writeSqlite(batch)
      return outcomes.map((value) => ({ status: 'fulfilled', value }))
    } catch (err) {
      if (batch.length === 1 || isDatabaseUnavailable(err)) {
        for (const op of batch) if (op.kind === 'reserve') this.#releaseLater(op)
        return batch.map(() => ({ status: 'rejected', reason: err }))
      }
      // Not the database as a whole: one of them may be at fault, so each goes alone.
      const out: PromiseSettledResult<WriteOutcome>[] = []
      for (const op of batch) out.push(...(await this.write([op])))
      return out
    }
  }

  /** One settlement on its own (`write` for a batch of one); throws its failure. */
  async settleOne(settlement: Settlement): Promise<boolean> {
    return (await this.#writeOne(settlement)) as boolean
  }

  /** reserved → released and every reserved budget given back (the sweeper, releaseLater). */
  release(reservation: NewReservation, now: number): Promise<boolean> {
    return this.settleOne({ kind: 'release', reservation, now })
  }

  async #writeOne(op: WriteOp): Promise<WriteOutcome> {
    const [result] = await this.write([op])
    if (result?.status !== 'fulfilled') throw result?.reason
    return result.value
  }

  // A reservation whose transaction failed may have committed though its answer was lost.
  #releaseLater(op: ReserveOp): void {
    releaseLater(() => this.release(op.reservation, op.now))
  }

  async #writeSqlite(batch: readonly WriteOp[]): Promise<WriteOutcome[]> {
    const stamps = new Map<string, number>()
    const outcomes = await this.db.transaction().execute(async (trx) => {
      const out: WriteOutcome[] = []
      // Settlements first: the budget they give back is there for the batch's reservations.
      for (const [i, op] of batch.entries()) {
        if (op.kind !== 'reserve') out[i] = await this.#settleIn(trx, op, stamps)
      }
      for (const [i, op] of batch.entries()) {
        if (op.kind === 'reserve') out[i] = await this.#reserveIn(trx, op)
      }
      for (const [apiKeyId, now] of stamps) await trx.executeQuery(this.#sql.stamp(apiKeyId, now))
      return out
    })
    for (const [apiKeyId, now] of stamps) this.#markStamped(apiKeyId, now)
    return outcomes
  }

  async #reserveIn(trx: Transaction<Database>, op: ReserveOp): Promise<number | null> {
    const { reservation: r, now } = op
    const items = [...r.items].sort((a, b) => a.limitId - b.limitId)
    for (const [i, item] of items.entries()) {
      if (affected(await trx.executeQuery(this.#sql.take(item))) > 0) continue
      // All or nothing: what this reservation took before goes back (others in the batch stay).
      for (const taken of items.slice(0, i)) {
        await trx.executeQuery(this.#sql.adjust(taken, -taken.reservedDelta))
      }
      return item.limitId
    }
    await trx.executeQuery(this.#sql.insertReservation(r, now))
    for (const item of items) await trx.executeQuery(this.#sql.insertItem(r, item, now))
    return null
  }

  async #reservePg(op: ReserveOp): Promise<number | null> {
    const { reservation: r, now } = op
    const [only] = r.items
    try {
      if (only && r.items.length === 1) {
        const result = await this.db.executeQuery(this.#sql.reserveOne(r, now))
        return affected(result) === 1 ? null : only.limitId
      }
      return await this.db.transaction().execute((trx) => this.#reserveIn(trx, op))
    } catch (err) {
      this.#releaseLater(op)
      throw err
    }
  }

  async #settlePg(s: Settlement): Promise<boolean> {
    const stamp = s.kind === 'finalize' && this.#dueStamp(s.reservation.apiKeyId, s.now)
    const { rows } = await this.db.executeQuery<{ claimed: number }>(this.#sql.settleOne(s, stamp))
    const claimed = rows[0]?.claimed === 1
    if (claimed && stamp) this.#markStamped(s.reservation.apiKeyId, s.now)
    return claimed
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
