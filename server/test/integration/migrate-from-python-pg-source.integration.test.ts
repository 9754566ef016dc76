import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dialects, freshPostgresUrl } from '../support/dialects.js'
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream.js'
import { expectImportedWorks } from '../support/python-original/after-import.js'
import { migrate } from '../support/python-original/cli.js'
import { generateFernetKeyFile } from '../support/python-original/fernet.js'
import { plainApiKey, writePostgresOriginal } from '../support/python-original/fixture.js'
import { startTestApp } from '../support/test-app.js'

const DIALECTS = await dialects()
const PASSWORD = 'old-dashboard-pw'
const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
/** Trust authentication ignores it; it must never be printed. */
const URL_PASSWORD = 'pw-s3cr3t-in-url'

describe.runIf(DIALECTS.some((d) => d.name === 'postgres'))(
  'migrate-from-python from PostgreSQL',
  () => {
    let dir: string
    let fake: FakeUpstream
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'codex-lb-pymig-pg-'))
      fake = await startFakeUpstream()
    })
    afterAll(async () => {
      await fake.close()
      rmSync(dir, { recursive: true, force: true })
    })

    it('reads a PostgreSQL original (native enums, BYTEA tokens, naive-UTC timestamps); the imported key, account, password and TOTP work', async () => {
      const url = await freshPostgresUrl()
      const keyFile = generateFernetKeyFile()
      writeFileSync(join(dir, 'old.key'), keyFile)
      const requestedAt = new Date(Date.UTC(2026, 5, 1, 12, 30, 45, 123))
      const a = fake.addAccount({ email: 'pg@example.com' })
      const accountId = `${a.chatgptAccountId}_1`
      const apiKey = plainApiKey()
      const limit = { type: 'total_tokens', max: 2_000_000, current: 1_000_000 }
      await writePostgresOriginal(
        url,
        {
          era: 'newest',
          accounts: [
            {
              id: accountId,
              email: a.email,
              chatgptAccountId: a.chatgptAccountId,
              tokens: { access: a.accessToken, refresh: a.refreshToken, id: a.idToken },
            },
            {
              id: 'ws-cool_2',
              email: 'cool@example.com',
              chatgptAccountId: 'ws-cool',
              status: 'quota_exceeded',
              tokens: { access: 'pg-access', refresh: 'pg-refresh', id: 'pg-id' },
            },
          ],
          apiKeys: [
            {
              id: '5b0e7a10-0000-4000-8000-0000000000aa',
              name: 'pg key',
              key: apiKey,
              limits: [{ ...limit, window: 'weekly', resetAt: new Date(Date.now() + 86_400_000) }],
            },
          ],
          logs: [
            {
              accountId,
              requestId: 'pg-req',
              requestedAt,
              status: 'success',
              inputTokens: 5,
              outputTokens: 6,
            },
          ],
          settings: {
            password: PASSWORD,
            totpSecret: TOTP_SECRET,
            totpRequired: true,
            apiKeyAuth: true,
          },
        },
        keyFile,
      )
      // The original's own URL form (with its async driver) is accepted; its password never shown.
      const source = url
        .replace('postgresql://', 'postgresql+asyncpg://')
        .replace('postgres@', `postgres:${URL_PASSWORD}@`)
      const env = { CODEX_LB_DATA_DIR: join(dir, 'new') }
      const args = ['--database-url', source, '--key-file', 'old.key', '--page-size', '1']
      const dry = await migrate(dir, env, [...args, '--dry-run'])
      const run = await migrate(dir, env, args)
      expect(run.err).toBe('')
      expect(run.code).toBe(0)
      expect(run.out).toMatch(/accounts: 2 imported\n/)
      expect(dry.out + run.out).not.toContain(URL_PASSWORD)
      const target = new SQLite(join(dir, 'new', 'store.db'), { readonly: true })
      try {
        expect(target.prepare('select id, status from accounts order by id').all()).toEqual([
          { id: accountId, status: 'active' },
          { id: 'ws-cool_2', status: 'quota_exceeded' },
        ])
        expect(target.prepare('select requested_at from request_logs').get()).toEqual({
          requested_at: requestedAt.getTime(),
        })
      } finally {
        target.close()
      }

      const t = await startTestApp({
        dataDir: join(dir, 'new'),
        env: { UPSTREAM_BASE_URL: fake.backendBaseUrl, AUTH_BASE_URL: fake.authBaseUrl },
      })
      try {
        await expectImportedWorks(t, { apiKey, password: PASSWORD, totpSecret: TOTP_SECRET, limit })
      } finally {
        await t.close()
      }
    })

    it('refuses a PostgreSQL source that is the configured target', async () => {
      const url = await freshPostgresUrl()
      const keyFile = generateFernetKeyFile()
      writeFileSync(join(dir, 'same.key'), keyFile)
      await writePostgresOriginal(url, { era: 'seed', accounts: [] }, keyFile)
      const r = await migrate(
        dir,
        { CODEX_LB_DATA_DIR: join(dir, 'unused'), CODEX_LB_DATABASE_URL: url },
        [
          '--database-url',
          url.replace('postgres@', `postgres:${URL_PASSWORD}@`),
          '--key-file',
          'same.key',
        ],
      )
      expect(r.code).toBe(1)
      expect(r.err).toContain('The source and the target are the same database')
      expect(r.err).not.toContain(URL_PASSWORD)
    })
  },
)
