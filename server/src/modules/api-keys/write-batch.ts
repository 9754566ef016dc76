import type { ReserveOp, Settlement, WriteOp, WriteOutcome } from './reservation-sql.js'

interface Waiting {
  op: WriteOp
  resolve(outcome: WriteOutcome): void
  reject(err: unknown): void
}

/** Writes a batch; per operation, its outcome or why it failed. */
export type BatchWrite = (
  batch: readonly WriteOp[],
) => Promise<PromiseSettledResult<WriteOutcome>[]>

/** More than this many waiting go in the next batch (a transaction stays short). */
const MAX_BATCH = 128

/**
 * Group commit for the reservation path: the reservations and settlements handed in during one turn
 * of the event loop are written together (on SQLite one transaction: one BEGIN and one COMMIT, the
 * pages they share written once), and while a batch is being written the next one gathers. Each
 * caller still learns its own outcome, and nothing is kept after a failure: the caller retries
 * (proxy/settle.ts), and every write is conditional (a budget is taken only where it fits, a
 * reservation is claimed only while `reserved`), so a retry never spends or settles twice.
 *
 * It also knows which settlements it holds: the sweeper leaves their reservations alone, and a
 * reservation that finds too little room first waits for its key's settlements to be written.
 */
export class WriteBatcher {
  #queue: Waiting[] = []
  #draining = false
  /** Reservation id → settlements of it queued or being written. */
  readonly #held = new Map<string, number>()
  /** API key id → its latest settlement's outcome (never rejects), until that one is written. */
  readonly #lastOfKey = new Map<string, Promise<unknown>>()

  constructor(private readonly write: BatchWrite) {}

  /** Takes a reservation's budget: null when taken, else the id of the limit without room. */
  reserve(op: ReserveOp): Promise<number | null> {
    return this.#submit(op) as Promise<number | null>
  }

  /** Settles or releases a reservation; resolves once written (true: this one claimed it). */
  settle(settlement: Settlement): Promise<boolean> {
    const { id, apiKeyId } = settlement.reservation
    this.#held.set(id, (this.#held.get(id) ?? 0) + 1)
    const written = this.#submit(settlement) as Promise<boolean>
    const outcome: Promise<unknown> = written
      .catch(() => undefined)
      .finally(() => {
        const left = (this.#held.get(id) ?? 1) - 1
        if (left > 0) this.#held.set(id, left)
        else this.#held.delete(id)
        if (this.#lastOfKey.get(apiKeyId) === outcome) this.#lastOfKey.delete(apiKeyId)
      })
    this.#lastOfKey.set(apiKeyId, outcome)
    return written
  }

  /** Whether a settlement of this reservation is queued or being written. */
  holds(reservationId: string): boolean {
    return this.#held.has(reservationId)
  }

  /** Resolves once every settlement of this key handed in so far is written (or has failed). */
  async settled(apiKeyId: string): Promise<void> {
    await this.#lastOfKey.get(apiKeyId)
  }

  #submit(op: WriteOp): Promise<WriteOutcome> {
    const done = new Promise<WriteOutcome>((resolve, reject) => {
      this.#queue.push({ op, resolve, reject })
    })
    if (!this.#draining) {
      this.#draining = true
      setImmediate(() => void this.#drain())
    }
    return done
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, MAX_BATCH)
      let results: PromiseSettledResult<WriteOutcome>[]
      try {
        results = await this.write(batch.map((w) => w.op))
      } catch (err) {
        results = batch.map(() => ({ status: 'rejected', reason: err }))
      }
      batch.forEach((waiting, i) => {
        const result = results[i]
        if (result?.status === 'fulfilled') waiting.resolve(result.value)
        else waiting.reject(result ? result.reason : new Error('write batch lost a result'))
      })
    }
    this.#draining = false
  }
}
