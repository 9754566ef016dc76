import { spawn } from 'node:child_process'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli, type CliIo } from '../../src/cli/run-cli.js'
import { generateFernetKeyFile } from '../support/python-original/fernet.js'
import {
  plainApiKey,
  writeSqliteOriginal,
  type OriginalAccount,
  type OriginalData,
} from '../support/python-original/fixture.js'

let dir: string
let n = 0

function capture(env: Record<string, string> = {}) {
  let out = ''
  let err = ''
  const io: CliIo = {
    stdout: (text) => (out += text),
    stderr: (text) => (err += text),
    env: { CODEX_LB_LOG_LEVEL: 'silent', CODEX_LB_DATA_DIR: join(dir, `new-${++n}`), ...env },
    cwd: dir,
  }
  return { io, out: () => out, err: () => err, target: io.env.CODEX_LB_DATA_DIR! }
}

const account = (id: string, extra: Partial<OriginalAccount> = {}): OriginalAccount => ({
  id,
  email: `${id}@example.com`,
  chatgptAccountId: `ws-${id}`,
  tokens: { access: `access-${id}`, refresh: `refresh-${id}`, id: `id-${id}` },
  ...extra,
})

function original(name: string, data: Partial<OriginalData> = {}, key?: string): string {
  const at = join(dir, name)
  writeSqliteOriginal(at, { era: 'newest', accounts: [account('a1')], ...data }, key)
  return at
}

async function migrate(args: string[], env?: Record<string, string>) {
  const c = capture(env)
  const code = await runCli(['migrate-from-python', ...args], c.io)
  return { code, out: c.out(), err: c.err(), target: c.target }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'codex-lb-pymig-refuse-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('migrate-from-python refuses bad input and writes nothing', () => {
  it('a key file that is not the original key: exit 1, names the cause, no target created', async () => {
    const from = original('wrong-key')
    writeFileSync(join(dir, 'other.key'), generateFernetKeyFile())
    const r = await migrate(['--from', from, '--key-file', 'other.key'])
    expect(r.code).toBe(1)
    expect(r.err).toMatch(
      /other\.key is not the key of .*store\.db \(its recorded key fingerprint differs\)/,
    )
    expect(existsSync(r.target)).toBe(false)
  })

  it('a seed-era file (no fingerprint) with the wrong key: nothing decrypts', async () => {
    const from = original('seed-wrong', { era: 'seed' })
    writeFileSync(join(dir, 'other2.key'), generateFernetKeyFile())
    const r = await migrate(['--from', from, '--key-file', 'other2.key'])
    expect(r.code).toBe(1)
    expect(r.err).toContain('does not decrypt anything')
    expect(existsSync(r.target)).toBe(false)
  })

  it('a missing or malformed key file', async () => {
    const from = original('no-key')
    rmSync(join(from, 'encryption.key'))
    const missing = await migrate(['--from', from])
    expect(missing.code).toBe(1)
    expect(missing.err).toMatch(/No key file at .*no-key\/encryption\.key/)
    expect(existsSync(missing.target)).toBe(false)
    writeFileSync(join(from, 'encryption.key'), 'not a key\n')
    const bad = await migrate(['--from', from])
    expect(bad.code).toBe(1)
    expect(bad.err).toContain('is not a Fernet key')
    expect(existsSync(bad.target)).toBe(false)
  })

  it('a corrupt token or an unknown status stops the run unless --skip-bad-rows', async () => {
    const from = original('corrupt', {
      accounts: [
        account('good'),
        account('bad', { corruptToken: true }),
        account('odd', { status: 'frozen' }),
      ],
    })
    const r = await migrate(['--from', from])
    expect(r.code).toBe(1)
    expect(r.err).toContain('2 row(s) cannot be carried over')
    expect(r.err).toContain('bad: access token does not decrypt')
    expect(r.err).toContain('odd: unknown status "frozen"')
    expect(r.err).toContain('Nothing was written')
    expect(r.err + r.out).not.toContain('access-bad')
    expect(existsSync(r.target)).toBe(false)
    const skip = await migrate(['--from', from, '--skip-bad-rows'])
    expect(skip.code).toBe(0)
    expect(skip.out).toContain('accounts: 1 imported')
    expect(skip.out + skip.err).not.toMatch(/access-(good|bad)/)
  })

  it('a database that is not the Python codex-lb, a newer schema, and the same database', async () => {
    const foreign = join(dir, 'foreign')
    mkdirSync(foreign)
    writeFileSync(join(foreign, 'encryption.key'), generateFernetKeyFile())
    const db = new SQLite(join(foreign, 'store.db'))
    db.exec('create table notes (id integer primary key, body text)')
    db.close()
    const notOurs = await migrate(['--from', foreign])
    expect(notOurs.code).toBe(1)
    expect(notOurs.err).toContain('is not a database of the Python codex-lb')
    expect(existsSync(notOurs.target)).toBe(false)

    // This codex-lb's own data dir (a first migration made it) is refused as a source too.
    const ours = await migrate(['--from', original('for-ours')])
    expect(ours.code).toBe(0)
    writeFileSync(join(dir, 'fernet.key'), generateFernetKeyFile())
    const fromOurs = await migrate(['--from', ours.target, '--key-file', 'fernet.key'])
    expect(fromOurs.code).toBe(1)
    expect(fromOurs.err).toContain('is a database of this codex-lb (TypeScript), not of the Python')

    const newer = original('newer', { revision: '20270101_000000_something_new' })
    const refused = await migrate(['--from', newer])
    expect(refused.code).toBe(1)
    expect(refused.err).toContain(
      'is at revision 20270101_000000_something_new, newer than the newest',
    )
    expect(existsSync(refused.target)).toBe(false)

    const same = original('same')
    const both = await migrate(['--from', same], { CODEX_LB_DATA_DIR: same })
    expect(both.code).toBe(1)
    expect(both.err).toContain('The source and the target are the same database')
    expect(readdirSync(same).sort()).toEqual(['encryption.key', 'store.db'])
  })

  it('refuses while the old server holds the database open', async () => {
    const from = original('running')
    const child = spawn(
      process.execPath,
      [
        '-e',
        `const S=require('better-sqlite3');const d=new S(${JSON.stringify(join(from, 'store.db'))});d.prepare('select 1 from accounts').all();console.log('open');setInterval(()=>{},1000)`,
      ],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] },
    )
    try {
      await new Promise((resolve) => child.stdout.once('data', resolve))
      const r = await migrate(['--from', from])
      expect(r.code).toBe(1)
      expect(r.err).toMatch(
        /store\.db is in use by pid \d+ \(node\): the Python codex-lb still seems to be running/,
      )
      expect(existsSync(r.target)).toBe(false)
    } finally {
      child.kill('SIGKILL')
    }
  })
})

describe('migrate-from-python reads what only the WAL holds and seed-era spellings', () => {
  it('imports rows still in store.db-wal, leaving the source files as they were', async () => {
    const from = original('wal')
    const live = new SQLite(join(from, 'store.db'))
    live.pragma('wal_autocheckpoint = 0')
    live.prepare('update accounts set plan_type = ? where id = ?').run('team', 'a1')
    // A snapshot of db + WAL as a killed server leaves them (the rows are not in store.db yet).
    const copy = join(dir, 'wal-copy')
    mkdirSync(copy)
    for (const f of ['store.db', 'store.db-wal', 'encryption.key'])
      copyFileSync(join(from, f), join(copy, f))
    live.close()
    const before = readdirSync(copy).sort()
    const r = await migrate(['--from', copy])
    expect(r.code).toBe(0)
    expect(readdirSync(copy).sort()).toEqual(before)
    const target = new SQLite(join(r.target, 'store.db'), { readonly: true })
    expect(target.prepare('select plan_type from accounts').get()).toEqual({ plan_type: 'team' })
    target.close()
  })

  it('reads UPPERCASE enum names of seed-era files', async () => {
    const from = original('seed', {
      era: 'seed',
      accounts: [account('s1', { status: 'RATE_LIMITED' }), account('s2', { status: 'PAUSED' })],
      apiKeys: [
        {
          id: 'k1',
          name: 'old key',
          key: plainApiKey(),
          allowedModels: ['gpt-5.4'],
          limits: [
            {
              type: 'COST_USD',
              window: 'WEEKLY',
              max: 5_000_000,
              current: 2_500_000,
              resetAt: new Date(Date.now() + 3_600_000),
            },
          ],
        },
      ],
    })
    const r = await migrate(['--from', from])
    expect(r.code).toBe(0)
    expect(r.out).toContain('schema 011_add_api_key_usage_reservations')
    const target = new SQLite(join(r.target, 'store.db'), { readonly: true })
    expect(target.prepare('select id, status from accounts order by id').all()).toEqual([
      { id: 's1', status: 'rate_limited' },
      { id: 's2', status: 'paused' },
    ])
    expect(
      target
        .prepare('select limit_type, limit_window, max_value, current_value from api_key_limits')
        .all(),
    ).toEqual([
      {
        limit_type: 'cost_usd',
        limit_window: 'weekly',
        max_value: 5_000_000,
        current_value: 2_500_000,
      },
    ])
    expect(target.prepare('select allowed_models from api_keys').get()).toEqual({
      allowed_models: '["gpt-5.4"]',
    })
    target.close()
  })
})
