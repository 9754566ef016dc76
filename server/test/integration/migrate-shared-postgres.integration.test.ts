import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { migrateToLatest, openDatabase } from '../../src/db/index.js'
import { freshPostgresUrl, postgresAvailability } from '../support/dialects.js'

// codex-lb may share a PostgreSQL database with other schemas (its own is the search_path's first).
// Migrating must not trip over one of them being dropped meanwhile: Kysely's own table lookup scans
// every schema of the database, and failed with "schema … does not exist" (3F000) when one went.

const PG = await postgresAvailability()
const OTHERS = 20
const TABLES_EACH = 4
const COLUMNS = Array.from({ length: 40 }, (_, i) => `c${i} int`).join(', ')

/** A schema like another application's: a few wide tables. */
async function otherSchema(): Promise<{ admin: pg.Client; schema: string }> {
  const url = new URL(await freshPostgresUrl())
  const schema = /search_path=(\S+)/.exec(url.searchParams.get('options') ?? '')?.[1] ?? ''
  url.searchParams.delete('options')
  const admin = new pg.Client({ connectionString: url.toString() })
  await admin.connect()
  const tables = Array.from(
    { length: TABLES_EACH },
    (_, i) => `create table ${schema}.t${i} (${COLUMNS})`,
  )
  await admin.query(tables.join('; '))
  return { admin, schema }
}

describe.skipIf(!PG.available)(
  'migrations in a PostgreSQL database shared with other schemas',
  () => {
    it('succeed while other schemas are being dropped', async () => {
      const others = await Promise.all(Array.from({ length: OTHERS }, otherSchema))
      let dropped = false
      const dropping = (async () => {
        for (const { admin, schema } of others) {
          await admin.query(`drop schema ${schema} cascade`)
          await admin.end()
          await new Promise((resolve) => setTimeout(resolve, 25))
        }
      })().finally(() => (dropped = true))
      let runs = 0
      const failures: string[] = []
      const migrateUntilDropped = async () => {
        while (!dropped) {
          const url = await freshPostgresUrl()
          const handle = await openDatabase({ kind: 'postgres', url, poolSize: 2 })
          try {
            expect((await migrateToLatest(handle.db)).applied.length).toBeGreaterThan(0)
          } catch (err) {
            failures.push((err as Error).message)
          } finally {
            await handle.close()
            runs++
          }
        }
      }
      await Promise.all([migrateUntilDropped(), migrateUntilDropped(), migrateUntilDropped()])
      await dropping
      expect(failures).toEqual([])
      // Several migrations ran while the drops went on (each one looks its tables up three times).
      expect(runs).toBeGreaterThanOrEqual(3)
    })
  },
)
