import { spawnSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/index.js'
import { prepare } from '../../src/bootstrap.js'
import { DatabaseOpenError, migrateToLatest, openDatabase } from '../../src/db/index.js'
import { KeyFileError } from '../../src/crypto/index.js'
import { dialects } from '../support/dialects.js'

const DIALECTS = await dialects()
const dirs: string[] = []
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'codex-lb-db-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const TABLES = [
  'accounts',
  'usage_history',
  'request_logs',
  'sticky_sessions',
  'dashboard_settings',
  'api_keys',
  'api_key_limits',
  'api_key_usage_reservations',
  'api_key_usage_reservation_items',
]

describe.each(DIALECTS)('migrations ($name)', (dialect) => {
  it('create every table, record the version, and are a no-op the second time', async () => {
    const dir = tempDir()
    const handle = await openDatabase(await dialect.make(dir))
    try {
      const first = await migrateToLatest(handle.db, { sqlitePath: handle.sqlitePath })
      expect(first.applied.length).toBeGreaterThan(0)
      // This schema's tables only (Kysely's introspection lists every schema of a PostgreSQL database).
      const query =
        dialect.name === 'sqlite'
          ? sql<{ name: string }>`select name from sqlite_master where type = 'table'`
          : sql<{ name: string }>`select table_name as name from information_schema.tables
              where table_schema = current_schema()`
      const tables = (await query.execute(handle.db)).rows.map((r) => r.name)
      for (const t of TABLES) expect(tables).toContain(t)
      const second = await migrateToLatest(handle.db, { sqlitePath: handle.sqlitePath })
      expect(second).toEqual({ applied: [], backupPath: undefined })
      const recorded = await sql<{ name: string }>`select name from kysely_migration`.execute(
        handle.db,
      )
      expect(recorded.rows.map((r) => r.name)).toEqual(first.applied)
      const settings = await handle.db.selectFrom('dashboard_settings').selectAll().execute()
      expect(settings).toHaveLength(1)
      expect(settings[0]!.sticky_threads_enabled).toBe(1)
    } finally {
      await handle.close()
    }
  })
})

describe('SQLite specifics', () => {
  it('runs in WAL mode with foreign keys on', async () => {
    const dir = tempDir()
    const handle = await openDatabase({ kind: 'sqlite', path: join(dir, 'store.db') })
    try {
      const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(handle.db)
      expect(mode.rows[0]!.journal_mode).toBe('wal')
      const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(handle.db)
      expect(fk.rows[0]!.foreign_keys).toBe(1)
    } finally {
      await handle.close()
    }
  })

  it('writes a timestamped backup before migrating an existing file', async () => {
    const dir = tempDir()
    const path = join(dir, 'store.db')
    const handle = await openDatabase({ kind: 'sqlite', path })
    await migrateToLatest(handle.db, { sqlitePath: path })
    await handle.db
      .insertInto('api_keys')
      .values({
        id: 'k1',
        name: 'kept',
        key_hash: 'h',
        key_prefix: 'sk-clb-x',
        allowed_models: null,
        expires_at: null,
        is_active: 1,
        created_at: 1,
        last_used_at: null,
      })
      .execute()
    // Pretend the schema is one version behind: the initial migration is pending again.
    await sql`delete from kysely_migration`.execute(handle.db)
    const again = await migrateToLatest(handle.db, {
      sqlitePath: path,
      now: () => new Date('2026-01-02T03:04:05Z'),
    })
    await handle.close()
    expect(again.backupPath).toBe(`${path}.20260102T030405Z.bak`)
    const backup = await openDatabase({ kind: 'sqlite', path: again.backupPath! })
    try {
      const rows = await backup.db.selectFrom('api_keys').select('name').execute()
      expect(rows).toEqual([{ name: 'kept' }])
    } finally {
      await backup.close()
    }
  })

  it('does not back up a brand-new database', async () => {
    const dir = tempDir()
    const handle = await openDatabase({ kind: 'sqlite', path: join(dir, 'store.db') })
    const r = await migrateToLatest(handle.db, { sqlitePath: join(dir, 'store.db') })
    await handle.close()
    expect(r.backupPath).toBeUndefined()
    expect(readdirSync(dir).filter((f) => f.endsWith('.bak'))).toEqual([])
  })
})

describe('startup failures', () => {
  it('a database that cannot be opened is a DatabaseOpenError naming the path', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'store.db'))
    await expect(openDatabase({ kind: 'sqlite', path: join(dir, 'store.db') })).rejects.toThrow(
      DatabaseOpenError,
    )
    await expect(openDatabase({ kind: 'sqlite', path: join(dir, 'store.db') })).rejects.toThrow(
      /store\.db/,
    )
  })

  it('an unreachable PostgreSQL is a DatabaseOpenError without the password', async () => {
    const err = await openDatabase({
      kind: 'postgres',
      url: 'postgresql://u:secret@127.0.0.1:1/x',
      poolSize: 1,
    }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(DatabaseOpenError)
    expect((err as Error).message).not.toContain('secret')
  })

  it('refuses to create a new key over a database that holds tokens, changing nothing', async () => {
    const dir = tempDir()
    const config = loadConfig({ CODEX_LB_DATA_DIR: dir })
    const first = await prepare(config, () => undefined)
    await first.database.db
      .insertInto('accounts')
      .values({
        id: 'a',
        chatgpt_account_id: null,
        email: 'a@x',
        plan_type: 'plus',
        access_token_enc: first.cipher.encrypt('t'),
        refresh_token_enc: first.cipher.encrypt('r'),
        id_token_enc: first.cipher.encrypt('i'),
        access_token_expires_at: null,
        last_refresh_at: 1,
        created_at: 1,
        updated_at: 1,
        status: 'active',
        deactivation_reason: null,
        reset_at: null,
        cooldown_until: null,
        last_error_at: null,
        last_selected_at: null,
      })
      .execute()
    await first.database.close()
    rmSync(config.encryptionKeyFile)
    const before = statSync(join(dir, 'store.db')).mtimeMs
    await expect(prepare(config, () => undefined)).rejects.toThrow(KeyFileError)
    expect(existsSync(config.encryptionKeyFile)).toBe(false)
    expect(statSync(join(dir, 'store.db')).mtimeMs).toBe(before)
  })

  it('an unreadable key file is a KeyFileError', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'encryption.key'), 'too short')
    const config = loadConfig({ CODEX_LB_DATA_DIR: dir })
    await expect(prepare(config, () => undefined)).rejects.toThrow(/does not hold a 32-byte key/)
  })

  it('creates the key file with mode 0600', async () => {
    const dir = tempDir()
    const config = loadConfig({ CODEX_LB_DATA_DIR: dir })
    const p = await prepare(config, () => undefined)
    await p.database.close()
    expect(statSync(config.encryptionKeyFile).mode & 0o777).toBe(0o600)
  })

  it('the process exits 1 with one line naming a bad variable', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
      env: { ...process.env, CODEX_LB_PORT: 'eighty', CODEX_LB_DATA_DIR: tempDir() },
      encoding: 'utf8',
      timeout: 30_000,
    })
    expect(run.status).toBe(1)
    expect(run.stderr).toContain('CODEX_LB_PORT: expected a port number')
    expect(run.stderr).not.toMatch(/\n\s+at /)
  })
})
