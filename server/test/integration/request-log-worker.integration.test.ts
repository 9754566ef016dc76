import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import pino from 'pino'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../../src/db/index.js'
import type { NewRequestLogRow } from '../../src/db/schema.js'
import { RequestLogWriter } from '../../src/modules/request-logs/index.js'
import { SqliteLogWorker } from '../../src/modules/request-logs/log-worker.js'
import { logRow } from '../support/log-rows.js'

const HOUR = 3_600_000
const AT = Date.UTC(2026, 10, 20, 15, 31, 7)

let dir: string
let database: DatabaseHandle
let path: string
let warnings: string[]

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'codex-lb-log-worker-'))
  path = join(dir, 'store.db')
  database = await openDatabase({ kind: 'sqlite', path })
  await migrateToLatest(database.db, { sqlitePath: path })
  warnings = []
})

afterEach(async () => {
  await database.close()
  rmSync(dir, { recursive: true, force: true })
})

function writer(options: { worker?: SqliteLogWorker; batchSize?: number } = {}) {
  const log = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) })
  return new RequestLogWriter(database.db, log, {
    sqlitePath: path,
    flushDelayMs: 10,
    ...options,
  })
}

function rows(n: number, prefix: string): NewRequestLogRow[] {
  return Array.from({ length: n }, (_, i) =>
    logRow({
      request_id: `${prefix}-${i}`,
      requested_at: AT + i,
      account_id: 'acc-a',
      input_tokens: 10,
      output_tokens: 5,
      latency_ms: 100,
    }),
  )
}

/** Rows per request_id, and the hourly and daily rollups' request counts. */
async function written() {
  const db = database.db
  const ids = await db.selectFrom('request_logs').select('request_id').execute()
  const perId = new Map<string, number>()
  for (const { request_id } of ids) perId.set(request_id, (perId.get(request_id) ?? 0) + 1)
  const hourly = await db
    .selectFrom('request_log_rollups')
    .select((eb) => [
      eb.fn.sum<number>('requests').as('n'),
      eb.fn.sum<number>('input_tokens').as('t'),
    ])
    .executeTakeFirstOrThrow()
  const daily = await db
    .selectFrom('request_log_daily_rollups')
    .select((eb) => eb.fn.sum<number>('requests').as('n'))
    .executeTakeFirstOrThrow()
  return {
    rows: ids.length,
    twice: [...perId.values()].filter((n) => n > 1).length,
    hourly: Number(hourly.n ?? 0),
    hourlyInputTokens: Number(hourly.t ?? 0),
    daily: Number(daily.n ?? 0),
  }
}

const autocheckpoint = async () =>
  (await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(database.db))
    .rows[0]?.wal_autocheckpoint

describe('request-log writer on a SQLite file (worker thread)', () => {
  it('writes the rows with their hourly and daily rollups, and runs the checkpoints while it lives', async () => {
    const w = writer()
    for (const row of rows(3, 'a')) w.enqueue(row)
    await w.flush()
    expect(await written()).toEqual({
      rows: 3,
      twice: 0,
      hourly: 3,
      hourlyInputTokens: 30,
      daily: 3,
    })
    expect(w.stats).toEqual({ pending: 0, written: 3, dropped: 0 })
    // The worker runs the WAL checkpoints; the main connection's come back when it is gone.
    expect(await autocheckpoint()).toBe(0)
    await w.close()
    expect(await autocheckpoint()).toBe(1000)
  })

  it('writes a batch again when its thread died before COMMIT (nothing lost)', async () => {
    const worker = new SqliteLogWorker(path, database.db)
    worker.injectFault('exit-before-commit')
    const w = writer({ worker })
    for (const row of rows(4, 'b')) w.enqueue(row)
    await w.flush()
    expect(await written()).toMatchObject({ rows: 4, twice: 0, hourly: 4, daily: 4 })
    expect(warnings.join('')).toContain('request log worker exited')
    await w.close()
  })

  it('does not write a batch twice when its thread died after COMMIT, before answering', async () => {
    const worker = new SqliteLogWorker(path, database.db)
    worker.injectFault('exit-after-commit')
    const w = writer({ worker })
    for (const row of rows(4, 'c')) w.enqueue(row)
    await w.flush()
    expect(await written()).toMatchObject({ rows: 4, twice: 0, hourly: 4, daily: 4 })
    expect(w.stats).toEqual({ pending: 0, written: 4, dropped: 0 })
    await w.close()
  })

  it('retries the lost batch alone: rows queued meanwhile are written once, after it', async () => {
    const worker = new SqliteLogWorker(path, database.db)
    worker.injectFault('exit-after-commit')
    const w = writer({ worker, batchSize: 5 })
    for (const row of rows(2, 'd')) w.enqueue(row)
    // One attempt (lost with its thread), then the writer waits to retry with these rows held.
    await w.flush(1)
    expect(w.stats.pending).toBe(2)
    for (const row of rows(5, 'e')) w.enqueue(row)
    await w.flush()
    expect(await written()).toMatchObject({ rows: 7, twice: 0, hourly: 7, daily: 7 })
    await w.close()
  })

  it('waits for the main connection to finish its write transaction instead of failing', async () => {
    const w = writer()
    // The thread is up (and the checkpoint hand-over done) before the lock is taken.
    w.enqueue(rows(1, 'warm')[0]!)
    await w.flush()
    await database.db.transaction().execute(async (trx) => {
      await sql`update request_logs set model = model`.execute(trx)
      for (const row of rows(2, 'f')) w.enqueue(row)
      await new Promise((r) => setTimeout(r, 300))
    })
    await w.flush()
    expect(await written()).toMatchObject({ rows: 3, twice: 0, hourly: 3 })
    expect(warnings).toEqual([])
    await w.close()
  })

  it('does not fail a main-connection transaction that read before the worker committed, then writes', async () => {
    const w = writer()
    w.enqueue(rows(1, 'warm')[0]!)
    await w.flush()
    await database.db.transaction().execute(async (trx) => {
      await trx.selectFrom('request_logs').select('id').execute()
      w.enqueue(rows(1, 'meanwhile')[0]!)
      // The writer's flush is due within this wait; it must not commit under this transaction.
      await new Promise((r) => setTimeout(r, 500))
      await trx
        .updateTable('request_logs')
        .set({ model: 'renamed' })
        .where('request_id', '=', 'warm-0')
        .execute()
    })
    await w.flush()
    expect(await written()).toMatchObject({ rows: 2, twice: 0, hourly: 2 })
    expect(warnings).toEqual([])
    await w.close()
  })

  it('keeps the rows while its thread cannot even open the database, and says why', async () => {
    const worker = new SqliteLogWorker(join(dir, 'missing', 'store.db'), database.db)
    const w = writer({ worker })
    for (const row of rows(3, 'x')) w.enqueue(row)
    await w.flush(600)
    expect(w.stats).toMatchObject({ pending: 3, written: 0 })
    expect(warnings.join('')).toMatch(/request log worker exited[^"]*Cannot open database/)
  })

  it('does not hang when its thread dies while it is still being started', async () => {
    const worker = new SqliteLogWorker(join(dir, 'missing', 'store.db'), database.db)
    const w = writer({ worker })
    // The main connection is busy: starting the thread waits for it (the checkpoint hand-over)
    // while the thread, unable to open the database, exits.
    await database.db.transaction().execute(async () => {
      for (const row of rows(2, 'y')) w.enqueue(row)
      await new Promise((r) => setTimeout(r, 1500))
    })
    await w.flush(600)
    expect(w.stats).toMatchObject({ pending: 2, written: 0 })
  })

  it('close() writes every pending row, over several batches, then ends the thread', async () => {
    const w = writer({ batchSize: 100 })
    for (const row of rows(250, 'g')) w.enqueue(row)
    await w.close()
    expect(await written()).toMatchObject({ rows: 250, twice: 0, hourly: 250, daily: 250 })
    expect(w.stats).toEqual({ pending: 0, written: 250, dropped: 0 })
    expect(await autocheckpoint()).toBe(1000)
  })

  it('spreads the rollups by hour as the rows do', async () => {
    const w = writer()
    for (const row of rows(2, 'h')) w.enqueue(row)
    w.enqueue(logRow({ request_id: 'later', requested_at: AT + HOUR, account_id: 'acc-a' }))
    await w.close()
    const hours = await database.db
      .selectFrom('request_log_rollups')
      .select(['hour_start', 'requests'])
      .orderBy('hour_start')
      .execute()
    expect(hours.map((h) => h.requests)).toEqual([2, 1])
  })
})
