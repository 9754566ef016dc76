import Database from 'better-sqlite3'
import {
  Kysely,
  SqliteDialect,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type TransactionSettings,
} from 'kysely'
import { afterEach, beforeEach } from 'vitest'
import type { Database as Schema } from '../../src/db/schema.js'
import { startTestApp, type TestApp } from './test-app.js'

/**
 * A dialect whose first COMMIT goes through and then fails, as when the connection to PostgreSQL
 * drops after the COMMIT reached it: the caller sees an error though everything was written. Kysely
 * then rolls back, which on a dropped connection fails as well. Later commits behave.
 */
function losingFirstCommitAnswer(inner: Dialect): Dialect {
  return {
    createAdapter: () => inner.createAdapter(),
    createIntrospector: (db) => inner.createIntrospector(db),
    createQueryCompiler: () => inner.createQueryCompiler(),
    createDriver: (): Driver => {
      const driver = inner.createDriver()
      let commits = 0
      let lost = false
      return {
        init: () => driver.init(),
        acquireConnection: () => driver.acquireConnection(),
        beginTransaction: (c: DatabaseConnection, s: TransactionSettings) =>
          driver.beginTransaction(c, s),
        rollbackTransaction: async (c: DatabaseConnection) => {
          if (lost) {
            lost = false
            throw new Error('Client has encountered a connection error and is not queryable')
          }
          await driver.rollbackTransaction(c)
        },
        releaseConnection: (c: DatabaseConnection) => driver.releaseConnection(c),
        destroy: () => driver.destroy(),
        async commitTransaction(c: DatabaseConnection) {
          await driver.commitTransaction(c)
          commits += 1
          if (commits > 1) return
          lost = true
          throw new Error('Connection terminated unexpectedly')
        },
      }
    },
  }
}

/** A second connection to a SQLite file whose first COMMIT answer is lost (see above). */
export function lostCommitDb(sqlitePath: string): Kysely<Schema> {
  const dialect = new SqliteDialect({ database: new Database(sqlitePath, { timeout: 5000 }) })
  return new Kysely<Schema>({ dialect: losingFirstCommitAnswer(dialect) })
}

/**
 * Per test: a fresh SQLite test app and a lossy second connection to its file. Read the fields
 * inside tests (they are replaced before each one).
 */
export function useLostCommitApp(): { t: TestApp; lossy: Kysely<Schema> } {
  const fixture = {} as { t: TestApp; lossy: Kysely<Schema> }
  beforeEach(async () => {
    fixture.t = await startTestApp()
    const db = fixture.t.config.database
    fixture.lossy = lostCommitDb(db.kind === 'sqlite' ? db.path : '')
  })
  afterEach(async () => {
    await fixture.lossy.destroy()
    await fixture.t.close()
  })
  return fixture
}
