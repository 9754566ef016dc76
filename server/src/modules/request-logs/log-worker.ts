import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import { sql, type Kysely } from 'kysely'
import { sqliteWriterFlag } from '../../db/open.js'
import type { Database } from '../../db/schema.js'
import { LOG_WORKER_SOURCE } from './log-worker-source.js'
import type { Statement } from './statement-shapes.js'

/** The row a retry looks at before writing a batch whose earlier attempt may have committed. */
export interface WrittenCheck {
  rowid: number
  requestId: string
  requestedAt: number
}

/** What an attempt lost with its thread had done: its first INSERT had run (rowid, row count). */
export interface UnsureAttempt {
  rowid: number
  changes: number
}

/** The worker died with a batch in flight; `unsure` when that batch may have committed. */
export class LogWorkerLostError extends Error {
  constructor(
    readonly exitCode: number,
    readonly unsure: UnsureAttempt | undefined,
    cause?: unknown,
  ) {
    super(`request log worker exited (code ${exitCode})`, { cause })
    this.name = 'LogWorkerLostError'
  }
}

export type LogWorkerFault = 'exit-before-commit' | 'exit-after-commit'

export interface LogWorkerOptions {
  busyTimeoutMs?: number
  checkpointEveryMs?: number
}

/** SQLite's default, back on the main connection while no worker runs the checkpoints. */
const AUTOCHECKPOINT_PAGES = 1000

interface InFlight {
  id: number
  resolve: (outcome: 'written' | 'already-written') => void
  reject: (err: Error) => void
}

const driver = createRequire(import.meta.url).resolve('better-sqlite3')

/**
 * The main thread's side of the SQLite log worker: one batch at a time (the writer awaits each),
 * a new thread after one dies, `close()` after the writer has flushed. The thread holds the process
 * open only while a batch is in flight, so a server that never closes it can still exit.
 */
export class SqliteLogWorker {
  #worker: Worker | undefined
  #exited: Promise<void> | undefined
  #marks = new Float64Array(new SharedArrayBuffer(3 * Float64Array.BYTES_PER_ELEMENT))
  #inFlight: InFlight | undefined
  #nextId = 1
  #fault: LogWorkerFault | undefined
  #lastExit: { code: number; failure: unknown } | undefined

  constructor(
    private readonly path: string,
    /** The main connection: its automatic WAL checkpoints are off while a thread runs them. */
    private readonly main: Kysely<Database>,
    private readonly options: LogWorkerOptions = {},
  ) {}

  /** Tests: the next batch's thread exits just before (or just after) its COMMIT. */
  injectFault(fault: LogWorkerFault): void {
    this.#fault = fault
  }

  async write(
    statements: readonly Statement[],
    check?: WrittenCheck,
  ): Promise<'written' | 'already-written'> {
    if (this.#inFlight) throw new Error('request log worker: one batch at a time')
    const worker = await this.#started()
    // It died while starting (before this batch was posted): nothing of it can have been written.
    if (worker !== this.#worker) {
      throw new LogWorkerLostError(this.#lastExit?.code ?? 1, undefined, this.#lastExit?.failure)
    }
    const id = this.#nextId++
    const fault = this.#fault
    this.#fault = undefined
    const answer = new Promise<'written' | 'already-written'>((resolve, reject) => {
      this.#inFlight = { id, resolve, reject }
    })
    worker.ref()
    worker.postMessage({
      id,
      statements: statements.map((s) => ({ sql: s.sql, parameters: s.parameters })),
      ...(check ? { check } : {}),
      ...(fault ? { fault } : {}),
    })
    return answer
  }

  async #started(): Promise<Worker> {
    if (this.#worker) return this.#worker
    await this.#exited // the last thread's hand-back of the checkpoints, first
    this.#marks.fill(0)
    const worker = new Worker(LOG_WORKER_SOURCE, {
      eval: true,
      workerData: {
        driver,
        path: this.path,
        marks: this.#marks.buffer,
        writing: sqliteWriterFlag(this.path).buffer,
        busyTimeoutMs: this.options.busyTimeoutMs ?? 5000,
        checkpointEveryMs: this.options.checkpointEveryMs ?? 1000,
      },
    })
    worker.unref()
    this.#worker = worker
    worker.on('message', (answer: WorkerAnswer) => this.#answered(answer))
    // 'error' (an exception the thread did not catch) is always followed by 'exit'.
    let failure: unknown
    worker.on('error', (err) => (failure = err))
    this.#exited = new Promise((resolve) => {
      worker.once('exit', (code) => {
        this.#worker = undefined
        // A thread that died holding the write lock must not leave the main thread waiting on it.
        const writing = sqliteWriterFlag(this.path)
        Atomics.store(writing, 0, 0)
        Atomics.notify(writing, 0)
        this.#lastExit = { code, failure }
        this.#lost(code, failure)
        void this.#checkpointsOnMain(true).finally(resolve)
      })
    })
    await this.#checkpointsOnMain(false)
    return worker
  }

  async #checkpointsOnMain(on: boolean): Promise<void> {
    const pages = on ? AUTOCHECKPOINT_PAGES : 0
    // The database may be closed already (a process that never closed the writer).
    await sql
      .raw(`pragma wal_autocheckpoint = ${pages}`)
      .execute(this.main)
      .catch(() => undefined)
  }

  #answered(answer: WorkerAnswer): void {
    const inFlight = this.#inFlight
    if (!inFlight || inFlight.id !== answer.id) return
    this.#inFlight = undefined
    this.#worker?.unref()
    if ('outcome' in answer) inFlight.resolve(answer.outcome)
    else
      inFlight.reject(Object.assign(new Error(answer.error.message), { code: answer.error.code }))
  }

  #lost(code: number, failure: unknown): void {
    const inFlight = this.#inFlight
    if (!inFlight) return
    this.#inFlight = undefined
    // The marks are written before COMMIT: without this attempt's id there, it did not commit.
    const [id, rowid, changes] = this.#marks
    const unsure = id === inFlight.id ? { rowid: rowid!, changes: changes! } : undefined
    inFlight.reject(new LogWorkerLostError(code, unsure, failure))
  }

  /** Ends the thread (after a last checkpoint); call once nothing is in flight. */
  async close(): Promise<void> {
    const worker = this.#worker
    if (!worker) return
    worker.ref()
    worker.postMessage({ type: 'close' })
    await this.#exited
  }
}

type WorkerAnswer =
  | { id: number; outcome: 'written' | 'already-written' }
  | { id: number; error: { message: string; code: unknown } }
