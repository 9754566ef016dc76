import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { dashboardErrorSchema } from '@codex-lb/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Config } from '../../src/config/index.js'
import {
  accountTrendsResponseSchema,
  accountsListResponseSchema,
  createAccountsService,
  importAccountResponseSchema,
  type AccountSummary,
} from '../../src/modules/accounts/index.js'
import { dialects } from '../support/dialects.js'
import { AUTH_CLAIM, makeAuthJson, makeJwt, makeTokenSet } from '../support/jwt.js'
import { startTestApp, type TestApp } from '../support/test-app.js'

const DIALECTS = await dialects()

function authJsonFor(email: string, workspace: string, planType = 'plus', lastRefresh?: Date) {
  const tokens = makeTokenSet({ email, chatgptAccountId: workspace, planType })
  return { tokens, text: JSON.stringify(makeAuthJson(tokens, workspace, lastRefresh)) }
}

async function upload(
  t: TestApp,
  content: string,
  field = 'auth_json',
  path = '/api/accounts/import',
) {
  const form = new FormData()
  form.append(field, new Blob([content], { type: 'application/json' }), 'auth.json')
  return fetch(`${t.url}${path}`, { method: 'POST', body: form })
}

/** Uploads and expects success; the body is parsed with the wire schema. */
async function importOk(t: TestApp, content: string, path?: string) {
  const res = await upload(t, content, 'auth_json', path)
  expect(res.status).toBe(200)
  return importAccountResponseSchema.parse(await res.json())
}

async function list(t: TestApp, path = '/api/accounts'): Promise<AccountSummary[]> {
  const res = await fetch(`${t.url}${path}`)
  expect(res.status).toBe(200)
  return accountsListResponseSchema.parse(await res.json()).accounts
}

async function post(t: TestApp, path: string) {
  return fetch(`${t.url}${path}`, { method: 'POST' })
}

/** Files of the data dir whose bytes could hold a secret (db, wal, shm, backups). */
function dataDirBytes(dir: string): Buffer[] {
  return readdirSync(dir)
    .filter((name) => name.startsWith('store.db'))
    .map((name) => readFileSync(join(dir, name)))
}

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

  it('pauses and reactivates, clearing reason and reset', async () => {
    const { accountId } = await importOk(t, authJsonFor('dave@example.com', 'ws-dave').text)
    const pause = await post(t, `/api/accounts/${accountId}/pause`)
    expect(await pause.json()).toEqual({ status: 'paused' })
    expect((await list(t)).find((a) => a.accountId === accountId)!.status).toBe('paused')

    await t.app.services.accounts.updateState(accountId, {
      status: 'rate_limited',
      deactivationReason: 'limit',
      resetAt: Date.now() + 60_000,
      errorCount: 3,
    })
    const reactivate = await post(t, `/api/accounts/${accountId}/reactivate/`)
    expect(await reactivate.json()).toEqual({ status: 'reactivated' })
    const account = await t.app.services.accounts.get(accountId)
    expect(account).toMatchObject({
      status: 'active',
      deactivationReason: null,
      resetAt: null,
      errorCount: 0,
    })
  })

  it('deletes an account with its usage and sticky rows but keeps its request logs', async () => {
    const { accountId } = await importOk(t, authJsonFor('erin@example.com', 'ws-erin').text)
    const db = t.database.db
    const now = Date.now()
    await db
      .insertInto('request_logs')
      .values({
        account_id: accountId,
        api_key_id: null,
        request_id: 'req-keep',
        requested_at: now,
        endpoint: '/v1/responses',
        model: 'gpt-5',
        reasoning_effort: null,
        status: 'success',
        http_status: 200,
        error_code: null,
        error_message: null,
        input_tokens: 1,
        cached_input_tokens: 0,
        output_tokens: 1,
        reasoning_tokens: 0,
        cost_usd: 0,
        latency_ms: 5,
        ttfb_ms: 1,
      })
      .execute()
    await db
      .insertInto('usage_history')
      .values({
        account_id: accountId,
        recorded_at: now,
        window: 'secondary',
        used_percent: 10,
        reset_at: now + 1000,
        window_minutes: 10080,
        credits_has: null,
        credits_unlimited: null,
        credits_balance: null,
      })
      .execute()
    await db
      .insertInto('sticky_sessions')
      .values({ key: `k-${accountId}`, account_id: accountId, created_at: now, updated_at: now })
      .execute()

    const res = await fetch(`${t.url}/api/accounts/${accountId}`, { method: 'DELETE' })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'deleted' })
    expect((await list(t)).some((a) => a.accountId === accountId)).toBe(false)
    const logs = await db
      .selectFrom('request_logs')
      .select(['account_id', 'request_id'])
      .where('request_id', '=', 'req-keep')
      .execute()
    expect(logs).toEqual([{ account_id: accountId, request_id: 'req-keep' }])
    const usage = await db
      .selectFrom('usage_history')
      .select('id')
      .where('account_id', '=', accountId)
      .execute()
    const sticky = await db
      .selectFrom('sticky_sessions')
      .select('key')
      .where('account_id', '=', accountId)
      .execute()
    expect(usage).toEqual([])
    expect(sticky).toEqual([])
  })

  it('tells its owner about writes that change who may be selected', async () => {
    const changed: string[] = []
    const service = createAccountsService({
      db: t.database.db,
      cipher: t.cipher,
      config: t.config,
      clock: { now: () => Date.now() },
      log: { info: () => undefined, warn: () => undefined },
      onChange: (id) => changed.push(id),
    })
    const { account } = await service.importAuthJson(authJsonFor('ivy@example.com', 'ws-ivy').text)
    await service.pause(account.id)
    await service.reactivate(account.id)
    await service.updateState(account.id, { lastSelectedAt: Date.now() })
    await service.delete(account.id)
    expect(changed).toEqual(Array.from({ length: 5 }, () => account.id))
  })

  it('answers 404 account_not_found for unknown ids', async () => {
    const attempts = [
      post(t, '/api/accounts/nope/pause'),
      post(t, '/api/accounts/nope/reactivate'),
      fetch(`${t.url}/api/accounts/nope`, { method: 'DELETE' }),
      fetch(`${t.url}/api/accounts/nope/trends`),
    ]
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(404)
      expect(await res.json()).toEqual({
        error: { code: 'account_not_found', message: 'Account not found' },
      })
    }
  })

  it('accepts trailing-slash forms', async () => {
    const viaSlash = await list(t, '/api/accounts/')
    expect(viaSlash).toEqual(await list(t))
    const res = await upload(
      t,
      authJsonFor('frank@example.com', 'ws-frank').text,
      'auth_json',
      '/api/accounts/import/',
    )
    expect(res.status).toBe(200)
  })

  it('serves 7 days of hourly trends, with usage and reset from the latest samples', async () => {
    const { accountId } = await importOk(t, authJsonFor('gina@example.com', 'ws-gina').text)
    const now = Date.now()
    const reset = now + 3_600_000
    const sample = (
      recorded_at: number,
      window: 'primary' | 'secondary',
      used_percent: number,
    ) => ({
      account_id: accountId,
      recorded_at,
      window,
      used_percent,
      reset_at: reset,
      window_minutes: null,
      credits_has: null,
      credits_unlimited: null,
      credits_balance: null,
    })
    await t.database.db
      .insertInto('usage_history')
      .values([
        sample(now - 7_200_000, 'primary', 10),
        sample(now - 60_000, 'primary', 25.5),
        sample(now - 60_000, 'secondary', 5),
      ])
      .execute()
    const res = await fetch(`${t.url}/api/accounts/${accountId}/trends`)
    const trends = accountTrendsResponseSchema.parse(await res.json())
    expect(trends.accountId).toBe(accountId)
    expect(trends.primary).toHaveLength(168)
    expect(trends.secondary).toHaveLength(168)
    expect(trends.primary.at(-1)!.v).toBe(74.5)
    const summary = (await list(t)).find((a) => a.accountId === accountId)!
    expect(summary.usage).toEqual({ primaryRemainingPercent: 74.5, secondaryRemainingPercent: 95 })
    expect(summary.resetAtPrimary).toBe(new Date(reset).toISOString())
  })

  it('survives a restart on the same data dir', async () => {
    const { tokens, text } = authJsonFor('hank@example.com', 'ws-hank')
    const { accountId } = await importOk(t, text)
    const before = await list(t)
    await t.close()
    t = await startTestApp({ dataDir, database })
    expect(await list(t)).toEqual(before)
    const credential = await t.app.services.accounts.getCredential(accountId)
    expect(credential).toEqual({
      accountId,
      accessToken: tokens.accessToken,
      chatgptAccountId: 'ws-hank',
      egressProxy: null,
    })
  })
})
