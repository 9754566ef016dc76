import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import { sql, type Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'

/**
 * The per-account stream caps across replicas. Each replica counts its own streams in memory
 * (InFlight); when other replicas are up, a slot must also be leased in the database, so the cap
 * holds for the account as a whole and not per replica.
 */
export interface SharedSlots {
  /** Whether leasing applies now (other replicas were heard from lately). */
  active(): boolean
  /** A lease when fewer than `cap` streams are open on the account across replicas; null when full. */
  acquire(accountId: string, cap: number): Promise<string | null>
  release(leaseId: string): Promise<void>
  close(): Promise<void>
}

export interface PgSharedSlotsOptions {
  /** How long a lease counts without renewal (a replica that died stops holding slots after it). */
  leaseMs: number
  renewMs: number
}

/** A lease id handed out when the database could not be asked: the local cap still holds. */
const UNSHARED = 'unshared'

/**
 * Leases in stream_leases on PostgreSQL. Acquiring counts the account's live leases and inserts
 * one under a transaction-scoped advisory lock per account, so two replicas can never both take
 * the last slot; releasing deletes the row. The replica renews its rows while they are open.
 */
export class PgSharedSlots implements SharedSlots {
  readonly replicaId = randomUUID()
  readonly #held = new Set<string>()
  readonly #timer: NodeJS.Timeout

  constructor(
    private readonly db: Kysely<Database>,
    private readonly peers: () => number,
    private readonly log: FastifyBaseLogger,
    private readonly options: PgSharedSlotsOptions = { leaseMs: 30_000, renewMs: 10_000 },
  ) {
    this.#timer = setInterval(() => void this.#renew(), options.renewMs)
    this.#timer.unref()
  }

  active(): boolean {
    return this.peers() > 0
  }

  async acquire(accountId: string, cap: number): Promise<string | null> {
    const id = randomUUID()
    try {
      const taken = await this.db.transaction().execute(async (trx) => {
        const now = Date.now()
        await sql`select pg_advisory_xact_lock(hashtext(${`codex-lb:slots:${accountId}`})::bigint)`.execute(
          trx,
        )
        const open = await trx
          .selectFrom('stream_leases')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('account_id', '=', accountId)
          .where('expires_at', '>', now)
          .executeTakeFirst()
        if (Number(open?.n ?? 0) >= cap) return false
        await trx
          .insertInto('stream_leases')
          .values({
            id,
            account_id: accountId,
            replica_id: this.replicaId,
            expires_at: now + this.options.leaseMs,
          })
          .execute()
        return true
      })
      if (!taken) return null
      this.#held.add(id)
      return id
    } catch (err) {
      // The database is away: requests fail or succeed on their own merits; the local cap holds.
      this.log.warn({ err, accountId }, 'shared stream slot could not be leased; local cap only')
      return UNSHARED
    }
  }

  async release(leaseId: string): Promise<void> {
    if (leaseId === UNSHARED) return
    this.#held.delete(leaseId)
    try {
      await this.db.deleteFrom('stream_leases').where('id', '=', leaseId).execute()
    } catch (err) {
      // It expires on its own after leaseMs.
      this.log.warn({ err }, 'shared stream slot could not be released; it expires by itself')
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#timer)
    await this.db
      .deleteFrom('stream_leases')
      .where('replica_id', '=', this.replicaId)
      .execute()
      .catch(() => undefined)
  }

  async #renew(): Promise<void> {
    const now = Date.now()
    try {
      if (this.#held.size > 0) {
        await this.db
          .updateTable('stream_leases')
          .set({ expires_at: now + this.options.leaseMs })
          .where('replica_id', '=', this.replicaId)
          .execute()
      }
      // Rows of replicas that died long ago; they stopped counting when they expired.
      await this.db
        .deleteFrom('stream_leases')
        .where('expires_at', '<', now - this.options.leaseMs)
        .execute()
    } catch (err) {
      this.log.warn({ err }, 'shared stream slots could not be renewed')
    }
  }
}
