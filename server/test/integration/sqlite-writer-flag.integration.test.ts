import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { sql } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../../src/db/index.js'
import { sqliteWriterFlag } from '../../src/db/open.js'
import { SqliteLogWorker } from '../../src/modules/request-logs/log-worker.js'

// The request-log worker thread writes the same SQLite file; while it holds the write lock, a
// transaction on the main connection used to wait in SQLite's busy handler, asleep on the event loop.

let dir: string
let path: string
let database: DatabaseHandle

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'codex-lb-writer-flag-'))
  path = join(dir, 'store.db')
  database = await openDatabase({ kind: 'sqlite', path })
  await migrateToLatest(database.db, { sqlitePath: path })
})

afterEach(async () => {
  await database.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('SQLite transactions while the request-log worker writes', () => {
  it('wait for its lock with the event loop free, and start once it is let go', async () => {
    // The lock as the worker holds it: another connection in a write transaction, the flag raised.
    const worker = new Database(path, { timeout: 5000 })
    worker.exec('begin immediate')
    const flag = sqliteWriterFlag(path)
    Atomics.store(flag, 0, 1)
    let ticks = 0
    const timer = setInterval(() => ticks++, 5)
    try {
      const began = Date.now()
      const tx = database.db.transaction().execute(async (trx) => {
        await sql`update dashboard_settings set updated_at = updated_at`.execute(trx)
        return Date.now()
      })
      await new Promise((r) => setTimeout(r, 150))
      expect(ticks).toBeGreaterThan(5)
      worker.exec('commit')
      Atomics.store(flag, 0, 0)
      Atomics.notify(flag, 0)
      expect((await tx) - began).toBeGreaterThanOrEqual(140)
    } finally {
      clearInterval(timer)
      worker.close()
    }
  })

  it('a worker thread that dies holding the lock leaves no flag raised behind it', async () => {
    const worker = new SqliteLogWorker(path, database.db)
    worker.injectFault('exit-before-commit')
    const touch = { sql: 'update dashboard_settings set updated_at = updated_at', parameters: [] }
    await expect(worker.write([touch])).rejects.toThrow('request log worker exited')
    expect(Atomics.load(sqliteWriterFlag(path), 0)).toBe(0)
    // And the main connection's transactions go straight on.
    const began = Date.now()
    await database.db.transaction().execute((trx) => sql`select 1`.execute(trx))
    expect(Date.now() - began).toBeLessThan(1000)
    await worker.close()
  })
})
