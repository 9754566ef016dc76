import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import pg from 'pg'
import { afterEach, describe, expect, it } from 'vitest'
import { prepare } from '../../src/bootstrap.js'
import { runCli } from '../../src/cli/run-cli.js'
import { loadConfig } from '../../src/config/index.js'
import { ForeignDatabaseError } from '../../src/db/index.js'
import { freshPostgresUrl, postgresAvailability } from '../support/dialects.js'
import { spawnServer } from '../support/server-process.js'

// The Python codex-lb keeps its database at the same default path (~/.codex-lb/store.db). Started
// over it, this server must stop before writing a byte, and say how to go on.

const PG = (await postgresAvailability()).available
const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** A data dir holding a database shaped like the original's: WAL mode, alembic_version, accounts. */
function originalDataDir(): { dir: string; data: string; db: string } {
  const dir = mkdtempSync(join(tmpdir(), 'codex-lb-foreign-'))
  dirs.push(dir)
  const data = join(dir, 'data')
  mkdirSync(data)
  const db = join(data, 'store.db')
  const sqlite = new SQLite(db)
  sqlite.pragma('journal_mode = WAL')
  sqlite.exec(`
    create table alembic_version (version_num varchar(32) not null primary key);
    insert into alembic_version values ('20260228_030000_add_api_firewall_allowlist');
    create table accounts (id varchar primary key, email varchar, access_token_encrypted blob);
    insert into accounts values ('acc_1', 'user@example.com', x'00ff');
  `)
  sqlite.close()
  return { dir, data, db }
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex')

function expectTheWaysOn(message: string): void {
  expect(message).toContain('was not created by this codex-lb')
  expect(message).toContain('alembic_version')
  expect(message).toContain('CODEX_LB_DATA_DIR')
  expect(message).toMatch(/codex-lb migrate-from-python/)
}

describe('a database this product did not create', () => {
  it('stops the server process with exit 1 and leaves the SQLite file byte-identical', async () => {
    const { dir, data, db } = originalDataDir()
    const before = sha256(db)
    const server = spawnServer({ CODEX_LB_DATA_DIR: data }, dir)

    expect(await server.exit).toBe(1)
    expectTheWaysOn(server.err())
    expect(server.err()).not.toMatch(/\n\s+at /)
    expect(sha256(db)).toBe(before)
    // No -wal/-shm, no encryption key, no backup: nothing was created next to it either.
    expect(readdirSync(data)).toEqual(['store.db'])
  }, 60_000)

  it('stops the CLI the same way', async () => {
    const { dir, data, db } = originalDataDir()
    const before = sha256(db)
    let err = ''
    const io = {
      stdout: () => undefined,
      stderr: (text: string) => void (err += text),
      env: { CODEX_LB_DATA_DIR: data },
      cwd: dir,
    }
    expect(await runCli(['accounts', 'list'], io)).toBe(1)
    expectTheWaysOn(err)
    expect(sha256(db)).toBe(before)
    expect(readdirSync(data)).toEqual(['store.db'])
  })

  it('refuses a SQLite file with other tables even without alembic_version', async () => {
    const { data, db } = originalDataDir()
    const sqlite = new SQLite(db)
    sqlite.exec('drop table alembic_version')
    sqlite.close()
    const config = loadConfig({ CODEX_LB_DATA_DIR: data })
    await expect(prepare(config, () => undefined)).rejects.toThrow(ForeignDatabaseError)
    await expect(prepare(config, () => undefined)).rejects.toThrow(/tables \(accounts\)/)
  })

  it('starts on its own database, and on an empty file', async () => {
    const { data, db } = originalDataDir()
    writeFileSync(db, '')
    const config = loadConfig({ CODEX_LB_DATA_DIR: data })
    const first = await prepare(config, () => undefined)
    await first.database.close()
    const again = await prepare(config, () => undefined)
    await again.database.close()
  })

  it.runIf(PG)(
    'refuses a PostgreSQL schema holding the original tables, creating nothing',
    async () => {
      const url = await freshPostgresUrl()
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      const tables = async () =>
        (
          await client.query<{ name: string }>(
            `select table_name as name from information_schema.tables
             where table_schema = current_schema() order by 1`,
          )
        ).rows.map((r) => r.name)
      try {
        await client.query(`create table alembic_version (version_num varchar(32) primary key)`)
        await client.query(`create table accounts (id varchar primary key, email varchar)`)
        const config = loadConfig({ CODEX_LB_DATABASE_URL: url })
        const err = await prepare(config, () => undefined).catch((e: unknown) => e)
        expect(err).toBeInstanceOf(ForeignDatabaseError)
        expectTheWaysOn((err as Error).message)
        expect((err as Error).message).toContain('The PostgreSQL database postgresql://')
        expect(await tables()).toEqual(['accounts', 'alembic_version'])
      } finally {
        await client.end()
      }
    },
  )
})
