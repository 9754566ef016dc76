import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { toAppError } from './normalize.js'

/** The real error a PostgreSQL client gets when nothing listens on the port. */
async function refusedConnection(): Promise<unknown> {
  const client = new pg.Client({ host: '127.0.0.1', port: 9, connectionTimeoutMillis: 2000 })
  return client.connect().then(
    () => new Error('connected?'),
    (err: unknown) => err,
  )
}

/** The real error better-sqlite3 throws when another connection holds the write lock. */
function lockedDatabase(): unknown {
  const dir = mkdtempSync(join(tmpdir(), 'codex-lb-busy-'))
  const file = join(dir, 'store.db')
  const holder = new Database(file)
  const other = new Database(file)
  try {
    holder.exec('create table t (x)')
    other.pragma('busy_timeout = 0')
    holder.exec('begin immediate')
    try {
      other.exec('insert into t values (1)')
      return new Error('not locked?')
    } catch (err) {
      return err
    }
  } finally {
    holder.close()
    other.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

describe('a database that is away or busy', () => {
  it('is a 503 database_unavailable with Retry-After, not a 500, when PostgreSQL refuses', async () => {
    const e = toAppError(await refusedConnection(), 400)
    expect(e).toMatchObject({ status: 503, code: 'database_unavailable', type: 'server_error' })
    expect(e.headers['retry-after']).toBe('2')
  })

  it('is a 503 when SQLite stays locked past its busy timeout, also when wrapped', () => {
    const err = lockedDatabase()
    expect(toAppError(err, 422)).toMatchObject({ status: 503, code: 'database_unavailable' })
    const wrapped = new Error('insert failed', { cause: err })
    expect(toAppError(wrapped, 422).status).toBe(503)
  })

  it('leaves other failures a 500 internal_error (a bug is not a reason to retry)', () => {
    expect(toAppError(new TypeError('x is undefined'), 400)).toMatchObject({
      status: 500,
      code: 'internal_error',
    })
    expect(
      toAppError(Object.assign(new Error('no such table: t'), { code: 'SQLITE_ERROR' }), 400)
        .status,
    ).toBe(500)
  })
})
