import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dialects, freshPostgresUrl } from '../support/dialects.js'
import { fuzzParams } from '../support/fuzz.js'
import { countRows, migrate, openTarget } from '../support/python-original/cli.js'
import {
  writeSqliteOriginal,
  type OriginalData,
  type OriginalHistory,
} from '../support/python-original/fixture.js'

const DIALECTS = await dialects()
const LOGS = 2_500
const SAMPLES = 400
/** Far smaller than the default, and no divisor of the row counts: hundreds of pages, a ragged last. */
const PAGE = 37
const T0 = Date.UTC(2026, 2, 1)
const MINUTE = 60_000

/** Log i: its own request id, tokens and time, so every row can be checked by value. */
function history(accounts: string[], from: number, to: number): OriginalHistory {
  const logs: NonNullable<OriginalHistory['logs']> = []
  for (let i = from; i < to; i++) {
    logs.push({
      accountId: accounts[i % accounts.length]!,
      requestId: `req-${i}`,
      requestedAt: new Date(T0 + i * MINUTE),
      status: i % 10 === 0 ? 'error' : 'success',
      inputTokens: i,
      outputTokens: 2 * i,
      costUsd: i / 1000,
    })
  }
  const usage = Array.from({ length: to === LOGS ? SAMPLES : 0 }, (_, i) => ({
    accountId: accounts[i % accounts.length]!,
    window: i % 2 === 0 ? null : 'secondary',
    usedPercent: i % 100,
    recordedAt: new Date(T0 + i * MINUTE),
  }))
  return { logs, usage }
}

const account = (id: string) => ({
  id,
  email: `${id}@example.com`,
  chatgptAccountId: `ws-${id}`,
  tokens: { access: `access-${id}`, refresh: `refresh-${id}`, id: `id-${id}` },
})

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'codex-lb-pymig-history-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function original(name: string): { from: string; data: OriginalData } {
  const ids = ['h1', 'h2', 'h3']
  const data: OriginalData = { era: 'newest', accounts: ids.map(account), ...history(ids, 0, LOGS) }
  const from = join(dir, name)
  writeSqliteOriginal(from, data)
  return { from, data }
}

async function targetEnv(name: string, dialect: { name: string }) {
  const env: Record<string, string> = { CODEX_LB_DATA_DIR: join(dir, name) }
  if (dialect.name === 'postgres') env.CODEX_LB_DATABASE_URL = await freshPostgresUrl()
  return env
}

describe.each(DIALECTS)('migrate-from-python streams the history into $name', (dialect) => {
  it('imports every log and sample exactly once in pages; a second run adds nothing', async () => {
    const { from } = original(`paged-${dialect.name}`)
    const env = await targetEnv(`paged-target-${dialect.name}`, dialect)
    const first = await migrate(dir, env, ['--from', from, '--page-size', String(PAGE)])
    expect(first.err).toBe('')
    expect(first.code).toBe(0)
    expect(first.out).toContain(`request_logs: ${LOGS} imported\n`)
    expect(first.out).toContain(`usage_history: ${SAMPLES} imported\n`)
    // Read through a private copy: no -wal/-shm appear beside the original's file.
    expect(readdirSync(from).sort()).toEqual(['encryption.key', 'store.db'])

    const target = await openTarget(env)
    try {
      const logs = await target.db
        .selectFrom('request_logs')
        .select(['request_id', 'input_tokens', 'output_tokens', 'requested_at', 'account_id'])
        .execute()
      expect(logs).toHaveLength(LOGS)
      const byRequest = new Map(logs.map((l) => [l.request_id, l]))
      expect(byRequest.size).toBe(LOGS)
      for (const i of [0, PAGE - 1, PAGE, 1234, LOGS - 1]) {
        expect(byRequest.get(`req-${i}`)).toEqual({
          request_id: `req-${i}`,
          input_tokens: i,
          output_tokens: 2 * i,
          requested_at: T0 + i * MINUTE,
          account_id: ['h1', 'h2', 'h3'][i % 3],
        })
      }
      expect(await countRows(target, 'usage_history')).toBe(SAMPLES)
    } finally {
      await target.close()
    }

    const again = await migrate(dir, env, ['--from', from, '--page-size', String(PAGE)])
    expect(again.code).toBe(0)
    expect(again.out).toContain(`request_logs: 0 imported, ${LOGS} already there`)
    expect(again.out).toContain(`usage_history: 0 imported, ${SAMPLES} already there`)

    // The old server ran a little longer: only its new rows come over.
    const db = new SQLite(join(from, 'store.db'))
    db.prepare(
      `insert into request_logs (account_id, request_id, requested_at, model, status, request_kind)
       values ('h1', 'req-late', '2026-04-01 00:00:00', 'gpt-5.4', 'success', 'normal')`,
    ).run()
    db.close()
    const late = await migrate(dir, env, ['--from', from, '--page-size', String(PAGE)])
    expect(late.out).toContain(`request_logs: 1 imported, ${LOGS} already there`)
    const after = await openTarget(env)
    try {
      expect(await countRows(after, 'request_logs')).toBe(LOGS + 1)
    } finally {
      await after.close()
    }
  })
})

describe('migrate-from-python with a bad history row in a late page', () => {
  it('rolls the whole import back and names the row; --skip-bad-rows leaves only it out', async () => {
    const { from } = original('bad-late')
    // A fixed-seed pick among the last pages' rows (ids are 1-based in insert order).
    const seed = fuzzParams(1).seed
    const badId = LOGS - 3 * PAGE + (seed % (3 * PAGE)) + 1
    const db = new SQLite(join(from, 'store.db'))
    db.prepare(`update request_logs set requested_at = 'yesterday' where id = ?`).run(badId)
    db.close()

    const env = { CODEX_LB_DATA_DIR: join(dir, 'bad-late-target') }
    const refused = await migrate(dir, env, ['--from', from, '--page-size', String(PAGE)])
    expect(refused.code).toBe(1)
    expect(refused.err).toContain(`request_logs row ${badId}: no request time`)
    expect(refused.err).toContain('Nothing was written')
    const target = await openTarget(env)
    try {
      for (const table of ['accounts', 'request_logs', 'usage_history', 'python_import'] as const) {
        expect(await countRows(target, table)).toBe(0)
      }
    } finally {
      await target.close()
    }

    const dry = await migrate(dir, env, ['--from', from, '--page-size', String(PAGE), '--dry-run'])
    expect(dry.code).toBe(0)
    expect(dry.out).toContain(`request_logs: ${LOGS} read, ${LOGS - 1} to import, 1 cannot be`)
    expect(dry.out).toContain(`      ${badId}: no request time`)

    const skipped = await migrate(dir, env, [
      '--from',
      from,
      '--page-size',
      String(PAGE),
      '--skip-bad-rows',
    ])
    expect(skipped.code).toBe(0)
    expect(skipped.out).toContain(`request_logs: ${LOGS - 1} imported, 1 bad row(s) skipped`)
    const done = await openTarget(env)
    try {
      expect(await countRows(done, 'request_logs')).toBe(LOGS - 1)
    } finally {
      await done.close()
    }
  })
})

describe('migrate-from-python from two installations into one', () => {
  it('keeps a watermark per installation: rows 1… of the second are not taken as done', async () => {
    const env = { CODEX_LB_DATA_DIR: join(dir, 'two-installs-target') }
    for (const [name, ids, rows] of [
      ['install-a', ['ia1', 'ia2'], 30],
      ['install-b', ['ib1'], 10],
    ] as const) {
      const from = join(dir, name)
      writeSqliteOriginal(from, {
        era: 'newest',
        accounts: ids.map(account),
        logs: history([...ids], 0, rows).logs!.map((l) => ({
          ...l,
          requestId: `${name}-${l.requestId}`,
        })),
      })
      const run = await migrate(dir, env, ['--from', from, '--page-size', '7'])
      expect(run.code).toBe(0)
      expect(run.out).toContain(`request_logs: ${rows} imported\n`)
    }
    const target = await openTarget(env)
    try {
      expect(await countRows(target, 'request_logs')).toBe(40)
    } finally {
      await target.close()
    }
  })
})
