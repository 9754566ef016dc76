import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dialects, freshPostgresUrl } from '../support/dialects.js'
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream.js'
import { expectImportedWorks } from '../support/python-original/after-import.js'
import { migrate } from '../support/python-original/cli.js'
import {
  plainApiKey,
  writeSqliteOriginal,
  type OriginalData,
  type OriginalHistory,
} from '../support/python-original/fixture.js'
import { startTestApp } from '../support/test-app.js'

const DIALECTS = await dialects()
const PASSWORD = 'old-dashboard-pw'
const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'

const HOUR = 3_600_000

/** Usage samples (one in a window we have no place for), logs (one soft-deleted), a fresh and a stale pin. */
function history(accountId: string, apiKeyId: string): OriginalHistory {
  const at = (ago: number) => new Date(Date.now() - ago)
  return {
    usage: [
      { accountId, window: null, usedPercent: 40, recordedAt: at(2 * HOUR) },
      { accountId, window: 'secondary', usedPercent: 12.5, recordedAt: at(2 * HOUR) },
      { accountId, window: 'monthly', usedPercent: 3, recordedAt: at(2 * HOUR) },
    ],
    logs: [
      {
        accountId,
        apiKeyId,
        requestId: 'req-1',
        requestedAt: at(3 * HOUR),
        status: 'success',
        inputTokens: 100,
        outputTokens: 20,
        costUsd: 0.01,
      },
      {
        accountId,
        apiKeyId,
        requestId: 'req-2',
        requestedAt: at(2 * HOUR),
        status: 'error',
        inputTokens: 0,
        outputTokens: 0,
      },
      {
        accountId: null,
        apiKeyId,
        requestId: 'req-3',
        requestedAt: at(HOUR),
        status: 'success',
        inputTokens: 7,
        outputTokens: 3,
        deletedAt: at(HOUR),
      },
    ],
    pins: [
      { key: 'thread-fresh', accountId, updatedAt: at(60_000) },
      { key: 'thread-stale', accountId, updatedAt: at(30 * 24 * HOUR) },
    ],
  }
}

describe.each(DIALECTS)('migrate-from-python into $name', (dialect) => {
  let dir: string
  let fake: FakeUpstream
  let env: Record<string, string>
  let key: string
  let data: OriginalData

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'codex-lb-pymig-'))
    fake = await startFakeUpstream()
    const a = fake.addAccount({ email: 'a@example.com', planType: 'pro' })
    const b = fake.addAccount({ email: 'b@example.com' })
    key = plainApiKey()
    data = {
      era: 'newest',
      accounts: [
        {
          id: `${a.chatgptAccountId}_1`,
          email: a.email,
          chatgptAccountId: a.chatgptAccountId,
          planType: 'pro',
          tokens: { access: a.accessToken, refresh: a.refreshToken, id: a.idToken },
        },
        {
          id: `${b.chatgptAccountId}_2`,
          email: b.email,
          chatgptAccountId: b.chatgptAccountId,
          status: 'reauth_required',
          tokens: { access: b.accessToken, refresh: b.refreshToken, id: b.idToken },
        },
        {
          id: 'gone_3',
          email: 'gone@example.com',
          chatgptAccountId: 'ws-gone',
          deleteRequested: true,
          tokens: { access: '', refresh: '', id: '' },
        },
      ],
      apiKeys: [
        {
          id: '3f1d7c1e-0000-4000-8000-000000000001',
          name: 'laptop',
          key,
          limits: [
            {
              type: 'total_tokens',
              window: 'weekly',
              max: 1_000_000,
              current: 500_000,
              resetAt: new Date(Date.now() + 86_400_000),
            },
          ],
        },
      ],
      settings: {
        password: PASSWORD,
        totpSecret: TOTP_SECRET,
        totpRequired: true,
        apiKeyAuth: true,
        lastStep: 5,
      },
    }
    Object.assign(data, history(data.accounts[0]!.id, data.apiKeys![0]!.id))
    writeSqliteOriginal(join(dir, 'old'), data)
    env = { CODEX_LB_DATA_DIR: join(dir, 'new') }
    if (dialect.name === 'postgres') env.CODEX_LB_DATABASE_URL = await freshPostgresUrl()
  })
  afterAll(async () => {
    await fake.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('imports accounts, keys with their spent limits, password and TOTP; the proxy serves with them', async () => {
    const run = await migrate(dir, env, ['--from', 'old'])
    expect(run.code).toBe(0)
    expect(run.err).toBe('')
    expect(run.out).toContain('accounts: 3 read, 2 to import, 1 left out')
    expect(run.out).toContain('gone_3: pending deletion in the original')
    expect(run.out).toMatch(/accounts: 2 imported\n/)
    for (const secret of [
      key,
      TOTP_SECRET,
      ...data.accounts.flatMap((a) => Object.values(a.tokens).filter(Boolean)),
    ]) {
      expect(run.out).not.toContain(secret)
    }

    const database =
      dialect.name === 'postgres'
        ? { kind: 'postgres' as const, url: env.CODEX_LB_DATABASE_URL!, poolSize: 3 }
        : undefined
    const t = await startTestApp({
      dataDir: join(dir, 'new'),
      ...(database ? { database } : {}),
      env: { UPSTREAM_BASE_URL: fake.backendBaseUrl, AUTH_BASE_URL: fake.authBaseUrl },
    })
    try {
      const rows = await t.database.db
        .selectFrom('accounts')
        .select(['id', 'status', 'deactivation_reason', 'plan_type'])
        .orderBy('id')
        .execute()
      expect(rows.map((r) => [r.status, r.plan_type])).toEqual(
        [...rows].map((r) => (r.id.endsWith('_1') ? ['active', 'pro'] : ['deactivated', 'plus'])),
      )
      const logs = await t.database.db
        .selectFrom('request_logs')
        .select(['request_id', 'status', 'account_id', 'input_tokens', 'endpoint'])
        .orderBy('id')
        .execute()
      expect(logs).toEqual([
        {
          request_id: 'req-1',
          status: 'success',
          account_id: data.accounts[0]!.id,
          input_tokens: 100,
          endpoint: 'python-import',
        },
        {
          request_id: 'req-2',
          status: 'error',
          account_id: data.accounts[0]!.id,
          input_tokens: 0,
          endpoint: 'python-import',
        },
        {
          request_id: 'req-3',
          status: 'success',
          account_id: null,
          input_tokens: 7,
          endpoint: 'python-import',
        },
      ])
      const rollups = await t.database.db
        .selectFrom('request_log_rollups')
        .select((eb) => [
          eb.fn.sum<number>('requests').as('n'),
          eb.fn.sum<number>('input_tokens').as('input'),
        ])
        .executeTakeFirstOrThrow()
      expect([Number(rollups.n), Number(rollups.input)]).toEqual([3, 107])
      const usage = await t.database.db
        .selectFrom('usage_history')
        .select(['window', 'used_percent'])
        .orderBy('window')
        .execute()
      expect(usage).toEqual([
        { window: 'primary', used_percent: 40 },
        { window: 'secondary', used_percent: 12.5 },
      ])
      const pins = await t.database.db
        .selectFrom('sticky_sessions')
        .select(['key', 'account_id'])
        .execute()
      expect(pins).toEqual([{ key: 'thread-fresh', account_id: data.accounts[0]!.id }])

      await expectImportedWorks(t, {
        apiKey: key,
        password: PASSWORD,
        totpSecret: TOTP_SECRET,
        limit: { type: 'total_tokens', max: 1_000_000, current: 500_000 },
      })
    } finally {
      await t.close()
    }

    const again = await migrate(dir, env, ['--from', 'old'])
    expect(again.code).toBe(0)
    expect(again.out).toContain('accounts: 0 imported, 2 already there')
    expect(again.out).toContain('api_keys: 0 imported, 1 already there')
    expect(again.out).toContain('request_logs: 0 imported, 3 already there')
    // The watermark covers the monthly sample that was left out too.
    expect(again.out).toContain('usage_history: 0 imported, 3 already there')
  })
})
