import type { FastifyBaseLogger } from 'fastify'
import type { Kysely } from 'kysely'
import type { Database, NewRequestLogRow } from '../../db/schema.js'
import { insertRequestLogs } from './log-insert.js'

export interface LogWriterOptions {
  /** Rows per INSERT. */
  batchSize: number
  /** How long a row may wait for companions before it is written. */
  flushDelayMs: number
  /** Pending rows kept while the database is down; beyond this the oldest are dropped (and said so). */
  maxPending: number
}

const RETRY_BASE_MS = 250
const RETRY_MAX_MS = 10_000

/**
 * The one queued writer for request-log rows: callers enqueue and move on (never awaiting the
 * database on the response path); rows are inserted in batches and retried with backoff while the
 * database is busy or away. `close()` flushes what is left.
 */
export class RequestLogWriter {
  #queue: NewRequestLogRow[] = []
  #timer: NodeJS.Timeout | undefined
  #running: Promise<void> | undefined
  #failures = 0
  #closed = false
  #dropped = 0
  #written = 0

  constructor(
    private readonly db: Kysely<Database>,
    private readonly log: FastifyBaseLogger,
    private readonly options: LogWriterOptions = {
      batchSize: 200,
      flushDelayMs: 50,
      maxPending: 100_000,
    },
  ) {}

  get stats() {
    return { pending: this.#queue.length, written: this.#written, dropped: this.#dropped }
  }

  enqueue(row: NewRequestLogRow): void {
    this.#queue.push(row)
    if (this.#queue.length > this.options.maxPending) {
      this.#queue.shift()
      this.#dropped++
      if (this.#dropped % 1000 === 1) {
        this.log.error({ dropped: this.#dropped }, 'request log queue full: dropping oldest rows')
      }
    }
    this.#schedule(this.#queue.length >= this.options.batchSize ? 0 : this.options.flushDelayMs)
  }

  #schedule(delayMs: number): void {
    if (this.#timer || this.#running || this.#closed) return
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      this.#running = this.#drain().finally(() => {
        this.#running = undefined
        if (this.#queue.length) this.#schedule(this.#backoffMs())
      })
    }, delayMs)
  }

  #backoffMs(): number {
    return this.#failures === 0
      ? 0
      : Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (this.#failures - 1))
  }

  async #drain(): Promise<void> {
    while (this.#queue.length) {
      const batch = this.#queue.slice(0, this.options.batchSize)
      try {
        await insertRequestLogs(this.db, batch)
        this.#queue.splice(0, batch.length)
        this.#written += batch.length
        this.#failures = 0
      } catch (err) {
        this.#failures++
        this.log.warn(
          { err, pending: this.#queue.length, attempt: this.#failures },
          'request log write failed; will retry',
        )
        return
      }
    }
  }

  /** Writes everything pending; gives up (and says how many rows) after `timeoutMs`. */
  async flush(timeoutMs = 10_000): Promise<void> {
    clearTimeout(this.#timer)
    this.#timer = undefined
    const deadline = Date.now() + timeoutMs
    while (this.#queue.length && Date.now() < deadline) {
      await this.#running
      this.#running = this.#drain().finally(() => (this.#running = undefined))
      await this.#running
      if (this.#queue.length) await new Promise((r) => setTimeout(r, this.#backoffMs()))
    }
    if (this.#queue.length) {
      this.log.error(
        { lost: this.#queue.length },
        'request log rows could not be written before shutdown',
      )
    }
  }

  async close(): Promise<void> {
    await this.flush()
    this.#closed = true
  }
}
