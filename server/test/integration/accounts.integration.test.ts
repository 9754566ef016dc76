import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { dashboardErrorSchema } from '@codex-lb/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Config } from '../../src/config/index.js'
import { authJsonFor, dataDirBytes, importOk, list, upload } from '../support/accounts-api.js'
import { dialects } from '../support/dialects.js'
import { AUTH_CLAIM, makeJwt } from '../support/jwt.js'
import { startTestApp, type TestApp } from '../support/test-app.js'

const DIALECTS = await dialects()

describe.each(DIALECTS)('accounts admin API on $name', (dialect) => {
  let dataDir: string
  let database: Config['database']
  let t: TestApp

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'codex-lb-accounts-'))
    database = await dialect.make(dataDir)
    t = await startTestApp({ dataDir, database })
  })
  afterAll(async () => {
    await t.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('imports a Codex CLI auth.json and lists it', async () => {
    const lastRefresh = new Date(Date.now() - 2 * 86_400_000)
    const { tokens, text } = authJsonFor('Alice@Example.com', 'ws-alice', 'plus', lastRefresh)
    const body = await importOk(t, text)
    expect(body).toEqual({
      accountId: expect.stringMatching(/^ws-alice_[0-9a-f]{8}$/),
      email: 'alice@example.com',
      planType: 'plus',
      status: 'active',
    })
    const account = (await list(t)).find((a) => a.accountId === body.accountId)
    const exp = JSON.parse(Buffer.from(tokens.accessToken.split('.')[1]!, 'base64url').toString())
      .exp as number
    expect(account).toEqual({
      accountId: body.accountId,
      email: 'alice@example.com',
      displayName: 'alice@example.com',
      alias: null,
      workspaceId: 'ws-alice',
      planType: 'plus',
      status: 'active',
      deactivationReason: null,
      egressProxy: null,
      usage: { primaryRemainingPercent: 100, secondaryRemainingPercent: 100 },
      resetAtPrimary: null,
      resetAtSecondary: null,
      routeOrder: null,
      maxStreams: null,
      headroom: { primaryPercent: null, secondaryPercent: null },
      lastRefreshAt: lastRefresh.toISOString(),
      auth: {
        access: { expiresAt: new Date(exp * 1000).toISOString(), state: null },
        refresh: { expiresAt: null, state: 'stored' },
        idToken: { expiresAt: null, state: 'parsed' },
      },
    })
  })

  it('keeps raw tokens out of the database', async () => {
    const { tokens, text } = authJsonFor('secret@example.com', 'ws-secret')
    expect((await upload(t, text)).status).toBe(200)
    const secrets = [tokens.accessToken, tokens.refreshToken, tokens.idToken]
    // The payload segment alone would leak the claims; look for it as well as the whole token.
    const needles = [...secrets, tokens.accessToken.split('.')[1]!, tokens.idToken.split('.')[1]!]
    if (database.kind === 'sqlite') {
      const files = dataDirBytes(dataDir)
      // The email is stored in clear, so finding it proves the scan reads the live pages.
      expect(files.some((bytes) => bytes.includes('secret@example.com'))).toBe(true)
      for (const bytes of files) for (const n of needles) expect(bytes.includes(n)).toBe(false)
    }
    const rows = await t.database.db.selectFrom('accounts').selectAll().execute()
    const dump = JSON.stringify(rows)
    for (const n of needles) expect(dump).not.toContain(n)
    expect(dump).toContain('secret@example.com')
  })

  it('answers 400 invalid_auth_json saying what is wrong, and writes nothing', async () => {
    const before = (await list(t)).length
    const { tokens } = authJsonFor('bad@example.com', 'ws-bad')
    const noRefresh = JSON.stringify({
      tokens: { id_token: tokens.idToken, access_token: tokens.accessToken },
    })
    const noEmail = JSON.stringify({
      tokens: {
        id_token: makeJwt({ sub: 'x' }),
        access_token: tokens.accessToken,
        refresh_token: tokens.refreshToken,
      },
    })
    const cases: Array<[Response, string | RegExp]> = [
      [await upload(t, noRefresh), 'tokens.refresh_token is missing'],
      [await upload(t, '{"tokens":'), /^auth\.json is not valid JSON/],
      [await upload(t, noEmail), /no email claim/],
      [
        await upload(
          t,
          JSON.stringify({
            tokens: { ...JSON.parse(noRefresh).tokens, refresh_token: 'r', id_token: 'opaque' },
          }),
        ),
        'tokens.id_token is not a JWT (its payload cannot be decoded)',
      ],
      [await upload(t, noRefresh, 'other_field'), 'the upload has no auth_json file'],
      [
        await fetch(`${t.url}/api/accounts/import`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: noRefresh,
        }),
        /multipart\/form-data/,
      ],
    ]
    for (const [res, message] of cases) {
      expect(res.status).toBe(400)
      const raw: unknown = await res.json()
      const body = dashboardErrorSchema.parse(raw)
      expect(body).toEqual(raw)
      expect(body.error.code).toBe('invalid_auth_json')
      expect(body.error.message).toMatch(message)
    }
    expect(await list(t)).toHaveLength(before)
  })

  it('accepts auth_json as a text field, and refuses oversized uploads with 413', async () => {
    const form = new FormData()
    form.append('auth_json', authJsonFor('text@example.com', 'ws-text').text)
    const res = await fetch(`${t.url}/api/accounts/import`, { method: 'POST', body: form })
    expect(res.status).toBe(200)
    const huge = await upload(t, JSON.stringify({ pad: 'x'.repeat(300 * 1024) }))
    expect(huge.status).toBe(413)
    expect(await huge.json()).toEqual({
      error: { code: 'payload_too_large', message: expect.stringMatching(/exceeds/) },
    })
  })

  it('accepts an account without email when a workspace id identifies it', async () => {
    const { tokens } = authJsonFor('x@example.com', 'ws-noemail')
    const text = JSON.stringify({
      tokens: {
        idToken: makeJwt({
          [AUTH_CLAIM]: { chatgpt_account_id: 'ws-noemail', chatgpt_plan_type: 'team' },
        }),
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
      },
    })
    expect(await importOk(t, text)).toEqual({
      accountId: 'ws-noemail',
      email: '',
      planType: 'team',
      status: 'active',
    })
    const account = (await list(t)).find((a) => a.accountId === 'ws-noemail')
    expect(account).toMatchObject({ email: '', displayName: 'ws-noemail' })
  })

  it('re-importing the same workspace updates in place', async () => {
    const first = authJsonFor('bob@example.com', 'ws-bob', 'plus')
    const { accountId } = await importOk(t, first.text)
    const created = await t.app.services.accounts.get(accountId)
    await t.database.db
      .insertInto('usage_history')
      .values({
        account_id: accountId,
        recorded_at: Date.now(),
        window: 'primary',
        used_percent: 40,
        reset_at: null,
        window_minutes: 300,
        credits_has: null,
        credits_unlimited: null,
        credits_balance: null,
      })
      .execute()
    await t.app.services.accounts.updateState(accountId, {
      status: 'deactivated',
      deactivationReason: 'Refresh token expired - re-login required',
    })

    const second = authJsonFor('BOB@example.com', 'ws-bob', 'pro')
    expect(await importOk(t, second.text)).toEqual({
      accountId,
      email: 'bob@example.com',
      planType: 'pro',
      status: 'active',
    })
    const accounts = (await list(t)).filter((a) => a.email === 'bob@example.com')
    expect(accounts).toHaveLength(1)
    expect(accounts[0]).toMatchObject({
      status: 'active',
      deactivationReason: null,
      planType: 'pro',
    })
    expect(accounts[0]!.usage.primaryRemainingPercent).toBe(60)
    const updated = await t.app.services.accounts.get(accountId)
    expect(updated.createdAt).toBe(created.createdAt)
    const credential = await t.app.services.accounts.getCredential(accountId)
    expect(credential.accessToken).toBe(second.tokens.accessToken)
  })

  it('keeps the same email in two workspaces as two accounts, ordered by email then id', async () => {
    const a = await importOk(t, authJsonFor('carol@example.com', 'ws-zeta').text)
    const b = await importOk(t, authJsonFor('carol@example.com', 'ws-alpha').text)
    expect(a.accountId).not.toBe(b.accountId)
    const all = await list(t)
    const carol = all.filter((x) => x.email === 'carol@example.com').map((x) => x.accountId)
    expect(carol).toEqual([b.accountId, a.accountId])
    const keys = all.map((x) => [x.email, x.accountId].join('\u0000'))
    expect(keys).toEqual([...keys].sort())
  })
})
