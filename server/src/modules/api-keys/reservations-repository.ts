import { sql, type Kysely } from 'kysely'
import type { Database, LimitType } from '../../db/schema.js'
import { releaseLater } from './release-later.js'

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

// `current + delta`, floored at zero so a release or a lower actual figure never goes negative.
const adjusted = (delta: number) =>
  sql<number>`case when current_value + ${delta} < 0 then 0 else current_value + ${delta} end`

/**
 * Budget reservations against API-key limits. Every counter change is a conditional UPDATE, so
 * concurrent requests can never spend past a limit, and every status change is one too, so each
 * reservation is settled or released exactly once.
 */
export class ReservationsRepository {
  constructor(private readonly db: Kysely<Database>) {}

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
    try {
      await this.db.transaction().execute(async (trx) => {
        for (const item of [...reservation.items].sort((a, b) => a.limitId - b.limitId)) {
          const result = await trx
            .updateTable('api_key_limits')
            .set({ current_value: sql`current_value + ${item.reservedDelta}` })
            .where('id', '=', item.limitId)
            .where('reset_at', '=', item.expectedResetAt)
            .where(sql<boolean>`current_value + ${item.reservedDelta} <= max_value`)
            .executeTakeFirst()
          if (Number(result.numUpdatedRows) === 0) throw new LimitContention(item.limitId)
        }
        await trx
          .insertInto('api_key_usage_reservations')
          .values({
            id: reservation.id,
            api_key_id: reservation.apiKeyId,
            model: reservation.model,
            status: 'reserved',
            input_tokens: null,
            output_tokens: null,
            cached_input_tokens: null,
            cost_microdollars: null,
            created_at: now,
            updated_at: now,
          })
          .execute()
        await trx
          .insertInto('api_key_usage_reservation_items')
          .values(
            reservation.items.map((item) => ({
              reservation_id: reservation.id,
              limit_id: item.limitId,
              limit_type: item.limitType,
              reserved_delta: item.reservedDelta,
              actual_delta: null,
              expected_reset_at: item.expectedResetAt,
              created_at: now,
              updated_at: now,
            })),
          )
          .execute()
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
   * reserved → finalized in one transaction: each counter moves by actual − reserved (in the window
   * it was reserved in; an ended window is left alone), and the key's `last_used_at` is stamped. The
   * claim and the final status are one conditional UPDATE (no other transaction could ever see an
   * intermediate `settling`). A failure rolls everything back, so the reservation stays `reserved`
   * and a retry (or the sweeper) can still settle or release it. False when it was already handled.
   */
  async finalize(
    reservation: NewReservation,
    actuals: ReadonlyMap<number, number>,
    usage: FinalUsage,
    now: number,
  ): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const claimed = await trx
        .updateTable('api_key_usage_reservations')
        .set({
          status: 'finalized',
          input_tokens: usage.inputTokens,
          output_tokens: usage.outputTokens,
          cached_input_tokens: usage.cachedInputTokens,
          cost_microdollars: usage.costMicrodollars,
          updated_at: now,
        })
        .where('id', '=', reservation.id)
        .where('status', '=', 'reserved')
        .executeTakeFirst()
      if (Number(claimed.numUpdatedRows) === 0) return false
      for (const item of reservation.items) {
        const actual = actuals.get(item.limitId) ?? 0
        await trx
          .updateTable('api_key_limits')
          .set({ current_value: adjusted(actual - item.reservedDelta) })
          .where('id', '=', item.limitId)
          .where('reset_at', '=', item.expectedResetAt)
          .execute()
        await trx
          .updateTable('api_key_usage_reservation_items')
          .set({ actual_delta: actual, updated_at: now })
          .where('reservation_id', '=', reservation.id)
          .where('limit_id', '=', item.limitId)
          .execute()
      }
      await trx
        .updateTable('api_keys')
        .set({ last_used_at: now })
        .where('id', '=', reservation.apiKeyId)
        .execute()
      return true
    })
  }

  /** reserved → released and every reserved budget given back, in one transaction. */
  async release(reservation: NewReservation, now: number): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const claimed = await trx
        .updateTable('api_key_usage_reservations')
        .set({ status: 'released', updated_at: now })
        .where('id', '=', reservation.id)
        .where('status', '=', 'reserved')
        .executeTakeFirst()
      if (Number(claimed.numUpdatedRows) === 0) return false
      for (const item of reservation.items) {
        await trx
          .updateTable('api_key_limits')
          .set({ current_value: adjusted(-item.reservedDelta) })
          .where('id', '=', item.limitId)
          .where('reset_at', '=', item.expectedResetAt)
          .execute()
        await trx
          .updateTable('api_key_usage_reservation_items')
          .set({ actual_delta: 0, updated_at: now })
          .where('reservation_id', '=', reservation.id)
          .where('limit_id', '=', item.limitId)
          .execute()
      }
      return true
    })
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

  async touchLastUsed(apiKeyId: string, now: number): Promise<void> {
    await this.db
      .updateTable('api_keys')
      .set({ last_used_at: now })
      .where('id', '=', apiKeyId)
      .execute()
  }
}
