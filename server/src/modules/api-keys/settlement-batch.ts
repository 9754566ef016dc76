import type { Settlement } from './reservation-sql.js'

interface Waiting {
  settlement: Settlement
  resolve(claimed: boolean): void
  reject(err: unknown): void
}

/** Writes a batch; per settlement, whether it claimed its reservation or why it failed. */
export type BatchWrite = (batch: readonly Settlement[]) => Promise<PromiseSettledResult<boolean>[]>

/** More than this many waiting go in the next batch (a transaction stays short). */
const MAX_BATCH = 128

/**
 * Group commit for settlements: those handed in during one turn of the event loop are written
 * together (on SQLite one transaction: one BEGIN and one COMMIT, the pages they share written once),
 * and while a batch is being written the next one gathers. Each caller still learns its own outcome,
 * and nothing is kept after a failure: the caller retries (proxy/settle.ts), and since every claim is
 * conditional on `status = 'reserved'` a settlement lands exactly once however often it is tried.
 *
 * It also knows what it holds: the sweeper leaves a reservation alone while its settlement is queued
 * here, and a reservation that finds too little room first waits for its key's settlements.
 */
export class SettlementBatcher {
  #queue: Waiting[] = []
  #draining = false
  /** Reservation id → settlements of it queued or being written. */
  readonly #held = new Map<string, number>()
  /** API key id → its latest settlement's outcome (never rejects), until that one is written. */
  readonly #lastOfKey = new Map<string, Promise<unknown>>()

  constructor(private readonly write: BatchWrite) {}

  /** Queues a settlement; resolves once written (true: it claimed the reservation). */
  submit(settlement: Settlement): Promise<boolean> {
    const { id, apiKeyId } = settlement.reservation
    this.#held.set(id, (this.#held.get(id) ?? 0) + 1)
    const written = new Promise<boolean>((resolve, reject) => {
      this.#queue.push({ settlement, resolve, reject })
    })
    const outcome: Promise<unknown> = written
      .catch(() => undefined)
      .finally(() => {
        const left = (this.#held.get(id) ?? 1) - 1
        if (left > 0) this.#held.set(id, left)
        else this.#held.delete(id)
        if (this.#lastOfKey.get(apiKeyId) === outcome) this.#lastOfKey.delete(apiKeyId)
      })
    this.#lastOfKey.set(apiKeyId, outcome)
    if (!this.#draining) {
      this.#draining = true
      setImmediate(() => void this.#drain())
    }
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

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, MAX_BATCH)
      let results: PromiseSettledResult<boolean>[]
      try {
        results = await this.write(batch.map((w) => w.settlement))
      } catch (err) {
        results = batch.map(() => ({ status: 'rejected', reason: err }))
      }
      batch.forEach((waiting, i) => {
        const result = results[i]
        if (result?.status === 'fulfilled') waiting.resolve(result.value)
        else waiting.reject(result ? result.reason : new Error('settlement batch lost a result'))
      })
    }
    this.#draining = false
  }
}
