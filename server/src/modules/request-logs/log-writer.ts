import type { FastifyBaseLogger } from 'fastify'
import type { Kysely } from 'kysely'
import type { Database, NewRequestLogRow } from '../../db/schema.js'
import { insertRequestLogs, requestLogStatements } from './log-insert.js'
import { rowLanded } from './log-landed.js'
import { LogWorkerLostError, SqliteLogWorker, type WrittenCheck } from './log-worker.js'
import { ShapeCache } from './statement-shapes.js'

export interface LogWriterOptions {
  /** Rows per INSERT. */
  batchSize: number
  /** How long a row may wait for companions before it is written. */
  flushDelayMs: number
  /** Pending rows kept while the database is down; beyond this the oldest are dropped (and said so). */
  maxPending: number
  /** A SQLite file: batches are written by a worker thread on its own connection, off the event loop. */
  sqlitePath?: string | undefined
  /** Or this worker (tests inject faults into it). */
  worker?: SqliteLogWorker | undefined
}

// A flush costs the event loop a fixed part plus a part per row: every 50 ms it landed on about one
// request in 80 at c=1 (the p99); every 250 ms one in 400, and a busy server still flushes at once
// at 200 rows. A row reaches the dashboard at most a quarter second later.
const DEFAULTS = { batchSize: 200, flushDelayMs: 250, maxPending: 100_000 }
const RETRY_BASE_MS = 250
const RETRY_MAX_MS = 10_000

/** A batch taken off the queue: written again, alone and unchanged, until it is written. */
interface Batch {
  rows: NewRequestLogRow[]
  /** Set when an attempt may have committed (its thread died after its first INSERT). */
  check?: WrittenCheck
  /** Written here (not by the worker), an attempt failed: it may have committed all the same. */
  unsure?: boolean
}

/**
 * The one queued writer for request-log rows: callers enqueue and move on (never awaiting the
 * database on the response path); rows are inserted in batches and retried with backoff while the
 * database is busy or away. `close()` flushes what is left. On a SQLite file the batches go to a
 * worker thread (better-sqlite3 is synchronous: in this thread each write, and the WAL checkpoints
 * it triggers, would stall every request); elsewhere they are written here.
 */
export class RequestLogWriter {
  #queue: NewRequestLogRow[] = []
  #batch: Batch | undefined
  #timer: NodeJS.Timeout | undefined
  #running: Promise<void> | undefined
  #failures = 0
  #closed = false
  #dropped = 0
  #written = 0
  readonly #options: LogWriterOptions
  readonly #worker: SqliteLogWorker | undefined
  readonly #shapes = new ShapeCache()

  constructor(
    private readonly db: Kysely<Database>,
    private readonly log: FastifyBaseLogger,
    options: Partial<LogWriterOptions> = {},
  ) {
    this.#options = { ...DEFAULTS, ...options }
    const { sqlitePath, worker } = this.#options
    this.#worker = worker ?? (sqlitePath ? new SqliteLogWorker(sqlitePath, db) : undefined)
  }

  get stats() {
    return { pending: this.#pending(), written: this.#written, dropped: this.#dropped }
  }

  #pending(): number {
    return this.#queue.length + (this.#batch?.rows.length ?? 0)
  }

  enqueue(row: NewRequestLogRow): void {
    this.#queue.push(row)
    // The batch in flight stays whole: dropping from it could lose or double rows.
    if (this.#pending() > this.#options.maxPending) {
      this.#queue.shift()
      this.#dropped++
      if (this.#dropped % 1000 === 1) {
        this.log.error({ dropped: this.#dropped }, 'request log queue full: dropping oldest rows')
      }
    }
    this.#schedule(this.#queue.length >= this.#options.batchSize ? 0 : this.#options.flushDelayMs)
  }

  #schedule(delayMs: number): void {
    if (this.#timer || this.#running || this.#closed) return
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      // flush() may have started a drain meanwhile: one at a time, or a batch goes twice.
      if (this.#running) return
      this.#running = this.#drain().finally(() => {
        this.#running = undefined
        if (this.#pending()) this.#schedule(this.#backoffMs())
      })
    }, delayMs)
  }

  #backoffMs(): number {
    return this.#failures === 0
      ? 0
      : Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (this.#failures - 1))
  }

  async #drain(): Promise<void> {
    while (this.#pending()) {
      const batch = (this.#batch ??= { rows: this.#queue.splice(0, this.#options.batchSize) })
      try {
        await this.#write(batch)
        this.#batch = undefined
        this.#written += batch.rows.length
        this.#failures = 0
      } catch (err) {
        this.#failures++
        if (!this.#worker) batch.unsure = true
        // Its first INSERT had run: the next attempt checks that row before writing anything.
        const unsure = err instanceof LogWorkerLostError ? err.unsure : undefined
        const probe = unsure && batch.rows[unsure.changes - 1]
        if (unsure && probe) {
          batch.check = {
            rowid: unsure.rowid,
            requestId: probe.request_id,
            requestedAt: probe.requested_at,
          }
        }
        this.log.warn(
          { err, pending: this.#pending(), attempt: this.#failures },
          'request log write failed; will retry',
        )
        return
      }
    }
  }

  async #write(batch: Batch): Promise<void> {
    if (!this.#worker) {
      // A connection lost at COMMIT leaves the batch written though the attempt failed.
      if (batch.unsure && (await rowLanded(this.db, batch.rows[0]!))) return
      return insertRequestLogs(this.db, batch.rows)
    }
    await this.#worker.write(
      requestLogStatements(this.db, batch.rows, this.#shapes.compile),
      batch.check,
    )
  }

  /** Writes everything pending; gives up (and says how many rows) after `timeoutMs`. */
  async flush(timeoutMs = 10_000): Promise<void> {
    clearTimeout(this.#timer)
    this.#timer = undefined
    const deadline = Date.now() + timeoutMs
    while (this.#pending() && Date.now() < deadline) {
      await this.#running
      this.#running = this.#drain().finally(() => (this.#running = undefined))
      await this.#running
      if (this.#pending()) await new Promise((r) => setTimeout(r, this.#backoffMs()))
    }
    if (this.#pending()) {
      this.log.error(
        { lost: this.#pending() },
        'request log rows could not be written before shutdown',
      )
    }
  }

  async close(): Promise<void> {
    await this.flush()
    this.#closed = true
    await this.#worker?.close()
  }
}
