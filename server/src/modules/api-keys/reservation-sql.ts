import { CompiledQuery } from 'kysely'
import type { DialectName } from '../../db/dialect.js'
import type { FinalUsage, NewReservation, ReservationItem } from './reservations-repository.js'

/**
 * The reservation path's statements as fixed SQL text per dialect, so a request pays for no query
 * building (Kysely's builders and compiler cost more than running these small statements) and each
 * text is prepared once (db/open.ts keeps prepared statements by text).
 */

/** `last_used_at` is stamped only when it is at least this old: one write per key per second. */
export const LAST_USED_STEP_MS = 1000

/** `?` placeholders as PostgreSQL's `$1, $2, …` (the texts here have no other `?`). */
const numbered = (text: string) => {
  let n = 0
  return text.replace(/\?/g, () => `$${++n}`)
}

const TAKE = `update api_key_limits set current_value = current_value + ?
  where id = ? and reset_at = ? and current_value + ? <= max_value`
const INSERT_RESERVATION = `insert into api_key_usage_reservations
  (id, api_key_id, model, status, created_at, updated_at) values (?, ?, ?, 'reserved', ?, ?)`
const INSERT_ITEM = `insert into api_key_usage_reservation_items
  (reservation_id, limit_id, limit_type, reserved_delta, expected_reset_at, created_at, updated_at)
  values (?, ?, ?, ?, ?, ?, ?)`
const CLAIM_FINALIZED = `update api_key_usage_reservations set status = 'finalized',
  input_tokens = ?, output_tokens = ?, cached_input_tokens = ?, cost_microdollars = ?, updated_at = ?
  where id = ? and status = 'reserved'`
const CLAIM_RELEASED = `update api_key_usage_reservations set status = 'released', updated_at = ?
  where id = ? and status = 'reserved'`
// `current + delta` floored at zero, so a release or a lower actual figure never goes negative.
const ADJUST = (floor: string) => `update api_key_limits
  set current_value = ${floor}(0, current_value + ?) where id = ? and reset_at = ?`
const ITEM_ACTUAL = `update api_key_usage_reservation_items set actual_delta = ?, updated_at = ?
  where reservation_id = ? and limit_id = ?`
const STAMP = `update api_keys set last_used_at = ?
  where id = ? and (last_used_at is null or last_used_at <= ?)`

/**
 * PostgreSQL, one limit: take the budget, and only if that row moved, insert the reservation and its
 * item — one statement, so one round trip and atomic without BEGIN/COMMIT. The UPDATE's row lock
 * and its re-checked condition keep concurrent takers within the limit, as in a transaction.
 */
const PG_RESERVE_ONE = `with taken as (
    update api_key_limits set current_value = current_value + ?::bigint
    where id = ?::bigint and reset_at = ?::bigint and current_value + ?::bigint <= max_value
    returning id
  ), reservation as (
    insert into api_key_usage_reservations (id, api_key_id, model, status, created_at, updated_at)
    select ?::text, ?::text, ?::text, 'reserved', ?::bigint, ?::bigint from taken
    returning id
  )
  insert into api_key_usage_reservation_items
    (reservation_id, limit_id, limit_type, reserved_delta, expected_reset_at, created_at, updated_at)
  select id, ?::bigint, ?::text, ?::bigint, ?::bigint, ?::bigint, ?::bigint from reservation`

/**
 * PostgreSQL: claim the reservation and, only if the claim took, move every counter, record each
 * item's actual figure and stamp the key — one statement for `items.length` limits. The counters are
 * locked in id order first, as reservations take them, so two statements never wait on each other.
 */
function pgSettle(kind: 'finalized' | 'released', items: number): string {
  // No items (a limit deleted since, taking its items with it): one row that matches nothing.
  const rows = (cols: string) =>
    items === 0
      ? `(${cols.replace(/\?/g, 'null')})`
      : Array.from({ length: items }, () => `(${cols})`).join(', ')
  const usage =
    kind === 'finalized'
      ? `input_tokens = ?::bigint, output_tokens = ?::bigint, cached_input_tokens = ?::bigint,
         cost_microdollars = ?::bigint,`
      : ''
  return `with claimed as (
      update api_key_usage_reservations set status = '${kind}', ${usage} updated_at = ?::bigint
      where id = ?::text and status = 'reserved'
      returning id, api_key_id
    ), changes as (
      select * from (values ${rows('?::bigint, ?::bigint, ?::bigint')}) as v(id, delta, reset_at)
    ), locked as (
      select l.id from claimed, api_key_limits l join changes c on c.id = l.id
      order by l.id for update of l
    ), moved as (
      update api_key_limits l set current_value = greatest(0, l.current_value + c.delta)
      from locked join changes c on c.id = locked.id
      where l.id = locked.id and l.reset_at = c.reset_at
      returning 1
    ), recorded as (
      update api_key_usage_reservation_items i set actual_delta = v.actual, updated_at = ?::bigint
      from claimed, (values ${rows('?::bigint, ?::bigint')}) as v(limit_id, actual)
      where i.reservation_id = claimed.id and i.limit_id = v.limit_id
      returning 1
    ), stamped as (
      update api_keys k set last_used_at = ?::bigint
      from claimed
      where ?::boolean and k.id = claimed.api_key_id
        and (k.last_used_at is null or k.last_used_at <= ?::bigint)
      returning 1
    )
    select count(*)::int as claimed from claimed`
}

/** One settlement, as the repository writes it. */
export type Settlement =
  | {
      kind: 'finalize'
      reservation: NewReservation
      /** Actual figure per limit id (absent: zero). */
      actuals: ReadonlyMap<number, number>
      usage: FinalUsage
      now: number
    }
  | { kind: 'release'; reservation: NewReservation; now: number }

/** Taking a new reservation's budget and recording it. */
export interface ReserveOp {
  kind: 'reserve'
  reservation: NewReservation
  now: number
}

/** What the reservation path writes; batches of them share a transaction (write-batch.ts). */
export type WriteOp = ReserveOp | Settlement

/**
 * A reservation's outcome: null when taken, or the id of the limit that had no room. A settlement's:
 * whether it claimed its reservation (false: already settled or released).
 */
export type WriteOutcome = number | null | boolean

/** Statements for one dialect; each call returns a query ready to execute. */
export class ReservationSql {
  readonly #pg: boolean
  readonly #text: Record<
    'take' | 'insertReservation' | 'insertItem' | 'claimFinalized' | 'claimReleased',
    string
  > & { adjust: string; itemActual: string; stamp: string; reserveOne: string }
  readonly #pgSettle = new Map<string, string>()

  constructor(readonly dialect: DialectName) {
    this.#pg = dialect === 'postgres'
    const text = this.#pg ? numbered : (t: string) => t
    this.#text = {
      take: text(TAKE),
      insertReservation: text(INSERT_RESERVATION),
      insertItem: text(INSERT_ITEM),
      claimFinalized: text(CLAIM_FINALIZED),
      claimReleased: text(CLAIM_RELEASED),
      adjust: text(ADJUST(this.#pg ? 'greatest' : 'max')),
      itemActual: text(ITEM_ACTUAL),
      stamp: text(STAMP),
      reserveOne: numbered(PG_RESERVE_ONE),
    }
  }

  take(item: ReservationItem): CompiledQuery {
    const { reservedDelta: d } = item
    return CompiledQuery.raw(this.#text.take, [d, item.limitId, item.expectedResetAt, d])
  }

  insertReservation(r: NewReservation, now: number): CompiledQuery {
    return CompiledQuery.raw(this.#text.insertReservation, [r.id, r.apiKeyId, r.model, now, now])
  }

  insertItem(r: NewReservation, item: ReservationItem, now: number): CompiledQuery {
    const { limitId, limitType, reservedDelta, expectedResetAt } = item
    return CompiledQuery.raw(this.#text.insertItem, [
      r.id,
      limitId,
      limitType,
      reservedDelta,
      expectedResetAt,
      now,
      now,
    ])
  }

  /** PostgreSQL only: a one-limit reservation in one statement (one row inserted when it took). */
  reserveOne(r: NewReservation, now: number): CompiledQuery {
    const [item] = r.items
    if (!this.#pg || !item || r.items.length !== 1) throw new Error('reserveOne: one limit, pg')
    const { limitId, limitType, reservedDelta: d, expectedResetAt: at } = item
    return CompiledQuery.raw(this.#text.reserveOne, [
      d,
      limitId,
      at,
      d,
      r.id,
      r.apiKeyId,
      r.model,
      now,
      now,
      limitId,
      limitType,
      d,
      at,
      now,
      now,
    ])
  }

  /** The status change that decides who settles: one row when this settlement claimed it. */
  claim(s: Settlement): CompiledQuery {
    const { id } = s.reservation
    if (s.kind === 'release') return CompiledQuery.raw(this.#text.claimReleased, [s.now, id])
    const u = s.usage
    return CompiledQuery.raw(this.#text.claimFinalized, [
      u.inputTokens,
      u.outputTokens,
      u.cachedInputTokens,
      u.costMicrodollars,
      s.now,
      id,
    ])
  }

  /** Moves the counter by `delta` in the window it was reserved in (an ended one is left alone). */
  adjust(item: ReservationItem, delta: number): CompiledQuery {
    return CompiledQuery.raw(this.#text.adjust, [delta, item.limitId, item.expectedResetAt])
  }

  itemActual(reservationId: string, limitId: number, actual: number, now: number): CompiledQuery {
    return CompiledQuery.raw(this.#text.itemActual, [actual, now, reservationId, limitId])
  }

  stamp(apiKeyId: string, now: number): CompiledQuery {
    return CompiledQuery.raw(this.#text.stamp, [now, apiKeyId, now - LAST_USED_STEP_MS])
  }

  /**
   * PostgreSQL only: the whole settlement in one statement (`stamp`: also `last_used_at`); its row's
   * `claimed` is 1 when it took.
   */
  settleOne(s: Settlement, stamp: boolean): CompiledQuery {
    const { reservation: r, now } = s
    const finalize = s.kind === 'finalize'
    const kind = finalize ? 'finalized' : 'released'
    const key = `${kind}:${r.items.length}`
    let text = this.#pgSettle.get(key)
    if (text === undefined) {
      text = numbered(pgSettle(kind, r.items.length))
      this.#pgSettle.set(key, text)
    }
    const actual = (item: ReservationItem) => (finalize ? (s.actuals.get(item.limitId) ?? 0) : 0)
    const u = finalize ? s.usage : undefined
    const params: unknown[] = u
      ? [u.inputTokens, u.outputTokens, u.cachedInputTokens, u.costMicrodollars]
      : []
    params.push(now, r.id)
    for (const item of r.items) {
      params.push(item.limitId, actual(item) - item.reservedDelta, item.expectedResetAt)
    }
    params.push(now)
    for (const item of r.items) params.push(item.limitId, actual(item))
    params.push(now, stamp, now - LAST_USED_STEP_MS)
    return CompiledQuery.raw(text, params)
  }
}
