import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { Config } from '../../src/config/index.js'

const PG_URL = process.env.CODEX_LB_TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test'

const SCHEMA_PREFIX = 't_'
const STALE_AFTER_MINUTES = 120

/**
 * Drops test schemas: those older than two hours (left by aborted runs), and those of `run`. Thousands of stray schemas make PostgreSQL's catalog queries (and with
 * them every migration run) slow.
 */
export async function dropTestSchemas(run?: string): Promise<number> {
  const client = new pg.Client({ connectionString: PG_URL })
  await client.connect()
  try {
    const rows = await client.query<{ nspname: string }>(
      `select nspname from pg_namespace where nspname like 't\\_%'`,
    )
    const cutoff = Math.floor(Date.now() / 60_000) - STALE_AFTER_MINUTES
    const doomed = rows.rows
      .map((r) => r.nspname)
      .filter((n) => {
        if (run !== undefined && n.includes(`_${run}_`)) return true
        const minute = Number(/^t_(\d+)_/.exec(n)?.[1])
        return !Number.isFinite(minute) || minute < cutoff
      })
    for (const n of doomed) await client.query(`drop schema if exists "${n}" cascade`)
    return doomed.length
  } finally {
    await client.end()
  }
}

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
  // The minute of creation is in the name, so a later run can drop what an aborted run left.
  const run = process.env['CODEX_LB_TEST_RUN'] ?? 'adhoc'
  const schema = `${SCHEMA_PREFIX}${Math.floor(Date.now() / 60_000)}_${run}_${randomBytes(4).toString('hex')}`
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
