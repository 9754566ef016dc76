import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { Config } from '../../src/config/index.js'

const PG_URL = process.env.CODEX_LB_TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test'

let probe: Promise<{ available: boolean; reason: string; display: string }> | undefined

/** Whether the local PostgreSQL answers; probed once per process. */
export function postgresAvailability() {
  probe ??= (async () => {
    const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 })
    try {
      await client.connect()
      await client.query('select 1')
      return { available: true, reason: '', display: PG_URL.replace(/\/\/[^@]*@/, '//') }
    } catch (err) {
      return {
        available: false,
        reason: `no PostgreSQL at ${PG_URL.replace(/\/\/[^@]*@/, '//')} (${(err as Error).message})`,
        display: '',
      }
    } finally {
      await client.end().catch(() => undefined)
    }
  })()
  return probe
}

/**
 * A fresh, empty PostgreSQL schema per test database: tests in parallel workers never see each other's
 * rows. The search_path option in the URL makes every pooled connection use it.
 */
export async function freshPostgresUrl(): Promise<string> {
  const schema = `t_${randomBytes(6).toString('hex')}`
  const client = new pg.Client({ connectionString: PG_URL })
  await client.connect()
  try {
    await client.query(`create schema ${schema}`)
  } finally {
    await client.end()
  }
  const url = new URL(PG_URL)
  url.searchParams.set('options', `-c search_path=${schema}`)
  return url.toString()
}

/** The dialects to loop repository and integration suites over. */
export async function dialects(): Promise<
  Array<{ name: 'sqlite' | 'postgres'; make: (dir: string) => Promise<Config['database']> }>
> {
  const list: Array<{
    name: 'sqlite' | 'postgres'
    make: (dir: string) => Promise<Config['database']>
  }> = [{ name: 'sqlite', make: async (dir) => ({ kind: 'sqlite', path: `${dir}/store.db` }) }]
  if ((await postgresAvailability()).available) {
    list.push({
      name: 'postgres',
      make: async () => ({ kind: 'postgres', url: await freshPostgresUrl(), poolSize: 5 }),
    })
  }
  return list
}
