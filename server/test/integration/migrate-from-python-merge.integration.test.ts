import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import bcrypt from 'bcryptjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/run-cli.js'
import { TokenCipher, loadOrCreateKey } from '../../src/crypto/index.js'
import { dialects, freshPostgresUrl } from '../support/dialects.js'
import { makeAuthJson, makeTokenSet } from '../support/jwt.js'
import { migrate, openTarget } from '../support/python-original/cli.js'
import { writeSqliteOriginal } from '../support/python-original/fixture.js'

const DIALECTS = await dialects()
const HOUR = 3_600_000

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'codex-lb-pymig-merge-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Signs an account in to the target the way a user trying this codex-lb would: an auth.json import. */
async function signInHere(env: Record<string, string>, email: string, ws: string, at: Date) {
  const file = join(dir, `${ws}-${Math.random().toString(36).slice(2)}.json`)
  writeFileSync(
    file,
    JSON.stringify(
      makeAuthJson(makeTokenSet({ email, chatgptAccountId: ws, planType: 'pro' }), ws, at),
    ),
  )
  const io = {
    stdout: () => undefined,
    stderr: () => undefined,
    env: { CODEX_LB_LOG_LEVEL: 'silent', ...env },
    cwd: dir,
  }
  expect(await runCli(['accounts', 'import', file], io)).toBe(0)
}

describe.each(DIALECTS)('migrate-from-python and accounts already in $name', (dialect) => {
  it('merges the same workspace + email under another id instead of duplicating it', async () => {
    const env: Record<string, string> = { CODEX_LB_DATA_DIR: join(dir, `target-${dialect.name}`) }
    if (dialect.name === 'postgres') env.CODEX_LB_DATABASE_URL = await freshPostgresUrl()
    const now = Date.now()
    await signInHere(env, 'merge-a@example.com', 'ws-m', new Date(now - 3 * HOUR))
    await signInHere(env, 'merge-b@example.com', 'ws-n', new Date(now - 5 * 60_000))
    const before = await openTarget(env)
    const existing = await before.db
      .selectFrom('accounts')
      .select(['id', 'email', 'access_token_enc'])
      .orderBy('email')
      .execute()
    const [hereA, hereB] = existing as [(typeof existing)[0], (typeof existing)[0]]
    // The user also set a dashboard password here already: it stays.
    const ownHash = bcrypt.hashSync('password-set-here', 4)
    await before.db.updateTable('dashboard_settings').set({ password_hash: ownHash }).execute()
    await before.close()

    const newer = makeTokenSet({
      email: 'merge-a@example.com',
      chatgptAccountId: 'ws-m',
      planType: 'pro',
    })
    const older = makeTokenSet({
      email: 'merge-b@example.com',
      chatgptAccountId: 'ws-n',
      planType: 'pro',
    })
    const from = join(dir, `old-${dialect.name}`)
    const at = (ago: number) => new Date(now - ago)
    writeSqliteOriginal(from, {
      era: 'newest',
      accounts: [
        // The newest original derives ids from the workspace: not the id this codex-lb gave them.
        {
          id: 'ws-m_1a2b3c4d',
          email: 'Merge-A@example.com',
          chatgptAccountId: 'ws-m',
          tokens: { access: newer.accessToken, refresh: newer.refreshToken, id: newer.idToken },
          lastRefresh: at(HOUR),
        },
        {
          id: 'ws-n_5e6f7a8b',
          email: 'merge-b@example.com',
          chatgptAccountId: 'ws-n',
          tokens: { access: older.accessToken, refresh: older.refreshToken, id: older.idToken },
          lastRefresh: at(2 * HOUR),
        },
        {
          id: 'ws-o_9c0d1e2f',
          email: 'merge-c@example.com',
          chatgptAccountId: 'ws-o',
          tokens: { access: 'access-c', refresh: 'refresh-c', id: 'id-c' },
        },
      ],
      logs: ['ws-m_1a2b3c4d', 'ws-n_5e6f7a8b', 'ws-o_9c0d1e2f'].map((accountId, i) => ({
        accountId,
        requestId: `merge-req-${i}`,
        requestedAt: at(HOUR),
        status: 'success',
        inputTokens: 1,
        outputTokens: 1,
      })),
      usage: [{ accountId: 'ws-m_1a2b3c4d', window: null, usedPercent: 30, recordedAt: at(HOUR) }],
      pins: [{ key: 'thread-m', accountId: 'ws-m_1a2b3c4d', updatedAt: at(60_000) }],
      settings: { password: 'old-password', apiKeyAuth: true },
    })

    const dry = await migrate(dir, env, ['--from', from, '--dry-run'])
    expect(dry.code).toBe(0)
    expect(dry.out).toContain('accounts: 3 read, 1 to import, 2 merged')
    expect(dry.out).toContain(
      `ws-m_1a2b3c4d: merged into existing account ${hereA.id} (same workspace and email): ` +
        "the original's tokens are newer and replace its tokens",
    )
    expect(dry.out).toContain(
      `ws-n_5e6f7a8b: merged into existing account ${hereB.id} (same workspace and email): ` +
        'its own tokens are as new or newer and are kept',
    )

    const run = await migrate(dir, env, ['--from', from])
    expect(run.err).toBe('')
    expect(run.code).toBe(0)
    expect(run.out).toContain(
      'accounts: 1 imported, 2 merged into existing accounts, 1 with newer tokens taken\n',
    )
    expect(run.out).toContain(
      'note: 1 dashboard sign-in kept: this codex-lb already had a password',
    )
    const target = await openTarget(env)
    try {
      expect(
        await target.db
          .selectFrom('dashboard_settings')
          .select(['password_hash', 'api_key_auth_enabled'])
          .executeTakeFirst(),
      ).toEqual({ password_hash: ownHash, api_key_auth_enabled: 1 })
      const cipher = new TokenCipher(
        loadOrCreateKey(join(env.CODEX_LB_DATA_DIR!, 'encryption.key'), true),
      )
      const rows = await target.db
        .selectFrom('accounts')
        .select(['id', 'access_token_enc', 'last_refresh_at'])
        .orderBy('email')
        .execute()
      expect(rows.map((r) => r.id)).toEqual([hereA.id, hereB.id, 'ws-o_9c0d1e2f'])
      expect(cipher.decrypt(rows[0]!.access_token_enc)).toBe(newer.accessToken)
      expect(rows[1]!.access_token_enc).toBe(hereB.access_token_enc)
      const logs = await target.db
        .selectFrom('request_logs')
        .select('account_id')
        .orderBy('request_id')
        .execute()
      expect(logs.map((l) => l.account_id)).toEqual([hereA.id, hereB.id, 'ws-o_9c0d1e2f'])
      expect(await target.db.selectFrom('usage_history').select('account_id').execute()).toEqual([
        { account_id: hereA.id },
      ])
      expect(
        await target.db.selectFrom('sticky_sessions').select(['key', 'account_id']).execute(),
      ).toEqual([{ key: 'thread-m', account_id: hereA.id }])
    } finally {
      await target.close()
    }

    const again = await migrate(dir, env, ['--from', from])
    expect(again.code).toBe(0)
    expect(again.out).toContain(
      'accounts: 0 imported, 2 merged into existing accounts, 1 already there\n',
    )
    expect(again.out).toContain('request_logs: 0 imported, 3 already there')
  })
})
