import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  TokenRefreshError,
  accountsListResponseSchema,
  createAccountsService,
  type AccountsService,
} from '../../src/modules/accounts/index.js'
import { dialects } from '../support/dialects.js'
import { startFakeUpstream, type FakeAccount, type FakeUpstream } from '../support/fake-upstream.js'
import { decodeJwtPayload, makeAuthJson, makeTokenSet } from '../support/jwt.js'
import { startTestApp, type TestApp } from '../support/test-app.js'

const DIALECTS = await dialects()
const MINUTE = 60_000

/** A clock the test moves; starts at real time because the fake's JWT `exp` is real time. */
function manualClock() {
  let offset = 0
  return { now: () => Date.now() + offset, advance: (ms: number) => (offset += ms) }
}

async function refreshError(promise: Promise<unknown>): Promise<TokenRefreshError> {
  try {
    await promise
  } catch (err) {
    if (err instanceof TokenRefreshError) return err
    throw err
  }
  throw new Error('expected a TokenRefreshError')
}

describe.each(DIALECTS)('token refresh on $name', (dialect) => {
  let fake: FakeUpstream
  let t: TestApp
  let dataDir: string
  let clock: ReturnType<typeof manualClock>
  let accounts: AccountsService

  async function importFake(account: FakeAccount, authJson: unknown = account.authJson) {
    const { account: imported } = await accounts.importAuthJson(JSON.stringify(authJson))
    return imported.id
  }

  beforeAll(async () => {
    fake = await startFakeUpstream()
    dataDir = mkdtempSync(join(tmpdir(), 'codex-lb-refresh-'))
    clock = manualClock()
    t = await startTestApp({
      dataDir,
      database: await dialect.make(dataDir),
      clock,
      env: { AUTH_BASE_URL: fake.authBaseUrl, OAUTH_TIMEOUT_SECONDS: '0.5' },
    })
    accounts = t.app.services.accounts
  })
  afterAll(async () => {
    await t.close()
    await fake.close()
    rmSync(dataDir, { recursive: true, force: true })
  })
  beforeEach(() => fake.reset())

  it('shares one refresh among concurrent forced callers and stores the rotated tokens', async () => {
    const account = fake.addAccount({ planType: 'plus' })
    const id = await importFake(account)
    const before = clock.now()
    const results = await Promise.all(
      Array.from({ length: 10 }, () => accounts.ensureFresh(id, { force: true })),
    )
    expect(fake.refreshCount(account)).toBe(1)
    const current = fake.tokens(account)
    expect(current.generation).toBe(1)
    for (const r of results) {
      expect(r).toEqual({
        accountId: id,
        accessToken: current.accessToken,
        chatgptAccountId: account.chatgptAccountId,
        egressProxy: null,
      })
    }
    const [request] = fake.requestsTo('/oauth/token')
    expect(request!.headers['content-type']).toMatch(/^application\/json/)
    expect(request!.body).toEqual({
      grant_type: 'refresh_token',
      client_id: t.config.oauth.clientId,
      refresh_token: account.refreshToken,
      scope: 'openid profile email',
    })
    const stored = await accounts.get(id)
    expect(stored.lastRefreshAt).toBeGreaterThanOrEqual(before)
    expect(stored.lastRefreshAt).toBeLessThanOrEqual(clock.now())
    expect(stored.accessTokenExpiresAt).toBe(
      (decodeJwtPayload(current.accessToken).exp as number) * 1000,
    )
    expect((await accounts.getCredential(id)).accessToken).toBe(current.accessToken)
    // The new refresh token was stored: a second rotation works (the old one would be a replay).
    await accounts.ensureFresh(id, { force: true })
    expect(fake.tokens(account).generation).toBe(2)
    // Not due and not forced: no call at all.
    await accounts.ensureFresh(id)
    expect(fake.refreshCount(account)).toBe(2)
  })

  it('deactivates on a permanent failure with the reason shown in GET /api/accounts', async () => {
    const account = fake.addAccount()
    const id = await importFake(account)
    fake.failRefresh(account, 'refresh_token_expired')
    const err = await refreshError(accounts.ensureFresh(id, { force: true }))
    expect(err).toMatchObject({ permanent: true, code: 'refresh_token_expired', accountId: id })
    const res = await fetch(`${t.url}/api/accounts`)
    const summary = accountsListResponseSchema
      .parse(await res.json())
      .accounts.find((a) => a.accountId === id)
    expect(summary).toMatchObject({
      status: 'deactivated',
      deactivationReason: 'Refresh token expired - re-login required',
    })
    // A deactivated account does not call the auth server again until it is reactivated.
    const again = await refreshError(accounts.ensureFresh(id, { force: true }))
    expect(again).toMatchObject({ permanent: true, code: 'account_deactivated' })
    expect(fake.refreshCount(account)).toBe(1)
  })

  it.each([
    ['refresh_token_reused', 'Refresh token was reused - re-login required'],
    ['account_suspended', 'Account has been suspended'],
  ])('maps %s to its reason', async (code, reason) => {
    const account = fake.addAccount()
    const id = await importFake(account)
    fake.failRefresh(account, code, 400)
    await refreshError(accounts.ensureFresh(id, { force: true }))
    expect(await accounts.get(id)).toMatchObject({
      status: 'deactivated',
      deactivationReason: reason,
    })
  })

  it('keeps the account usable after a transient failure and backs off', async () => {
    const account = fake.addAccount()
    const id = await importFake(account)
    fake.scriptRefresh(account, { kind: 'http-error', status: 503 }, { kind: 'ok' })
    const first = await refreshError(accounts.ensureFresh(id, { force: true }))
    expect(first.permanent).toBe(false)
    expect(first.retryAfterMs).toBeGreaterThanOrEqual(2_500)
    expect(await accounts.get(id)).toMatchObject({ status: 'active', deactivationReason: null })

    // Within the backoff: a burst of forced callers does not reach the auth server.
    const burst = await Promise.all(
      Array.from({ length: 5 }, () => refreshError(accounts.ensureFresh(id, { force: true }))),
    )
    for (const e of burst) expect(e).toMatchObject({ permanent: false, code: 'refresh_backoff' })
    expect(fake.refreshCount(account)).toBe(1)
    // An unforced caller still gets the (valid) old token.
    expect((await accounts.ensureFresh(id)).accessToken).toBe(account.accessToken)

    clock.advance(6 * MINUTE)
    const fresh = await accounts.ensureFresh(id, { force: true })
    expect(fresh.accessToken).toBe(fake.tokens(account).accessToken)
    expect(fake.refreshCount(account)).toBe(2)
  })

  it('treats a timeout as transient', async () => {
    const account = fake.addAccount()
    const id = await importFake(account)
    fake.scriptRefresh(account, { kind: 'slow', ms: 2_000 })
    const err = await refreshError(accounts.ensureFresh(id, { force: true }))
    expect(err).toMatchObject({ permanent: false, code: 'refresh_timeout' })
    expect((await accounts.get(id)).status).toBe('active')
  })

  it('refreshes proactively when the access token nears exp or the tokens are old', async () => {
    const expiring = fake.addAccount({ tokenTtlSeconds: 120 })
    const expiringId = await importFake(expiring)
    const cred = await accounts.ensureFresh(expiringId)
    expect(fake.refreshCount(expiring)).toBe(1)
    expect(cred.accessToken).toBe(fake.tokens(expiring).accessToken)

    const old = fake.addAccount()
    const oldJson = makeAuthJson(
      makeTokenSet({ email: old.email, chatgptAccountId: old.chatgptAccountId, planType: 'plus' }),
      old.chatgptAccountId,
      new Date(clock.now() - 9 * 86_400_000),
    )
    // Tokens the fake does not know are answered `refresh_token_invalidated`; use the fake's own.
    oldJson.tokens.refresh_token = old.refreshToken
    const oldId = await importFake(old, oldJson)
    await accounts.ensureFresh(oldId)
    expect(fake.refreshCount(old)).toBe(1)
  })

  it('refreshDueAccounts refreshes only due, usable accounts', async () => {
    const due = fake.addAccount({ tokenTtlSeconds: 60 })
    const paused = fake.addAccount({ tokenTtlSeconds: 60 })
    const fresh = fake.addAccount()
    const failing = fake.addAccount({ tokenTtlSeconds: 60 })
    const dueId = await importFake(due)
    const pausedId = await importFake(paused)
    await importFake(fresh)
    const failingId = await importFake(failing)
    await accounts.pause(pausedId)
    fake.scriptRefresh(failing, { kind: 'http-error', status: 500 })

    const result = await accounts.refreshDueAccounts()
    expect(result.refreshed).toContain(dueId)
    expect(result.refreshed).not.toContain(pausedId)
    expect(result.failed).toContainEqual({
      accountId: failingId,
      code: 'server_error',
      permanent: false,
    })
    expect(fake.refreshCount(due)).toBe(1)
    expect(fake.refreshCount(paused)).toBe(0)
    expect(fake.refreshCount(fresh)).toBe(0)

    const second = await accounts.refreshDueAccounts()
    expect(second.backingOff).toContain(failingId)
    expect(second.failed).toEqual([])
    expect(fake.refreshCount(failing)).toBe(1)
  })

  it('never logs token values', async () => {
    const lines: string[] = []
    const capture = (obj: object, msg: string) => lines.push(JSON.stringify({ ...obj, msg }))
    const logged = createAccountsService({
      db: t.database.db,
      cipher: t.cipher,
      config: t.config,
      clock,
      log: { info: capture, warn: capture },
    })
    const account = fake.addAccount()
    const { account: imported } = await logged.importAuthJson(JSON.stringify(account.authJson))
    await logged.ensureFresh(imported.id, { force: true })
    fake.failRefresh(account, 'refresh_token_invalidated')
    await refreshError(logged.ensureFresh(imported.id, { force: true }))
    expect(lines.length).toBeGreaterThanOrEqual(3)
    const text = lines.join('\n')
    for (const token of [account.accessToken, account.refreshToken, account.idToken]) {
      expect(text).not.toContain(token)
    }
    const rotated = fake.tokens(account)
    for (const token of [rotated.accessToken, rotated.refreshToken, rotated.idToken]) {
      expect(text).not.toContain(token)
    }
  })

  it('a permanent failure of tokens a re-login replaced meanwhile uses the new tokens', async () => {
    let entered!: () => void
    const posted = new Promise<void>((resolve) => (entered = resolve))
    let answer!: () => void
    const gate = new Promise<void>((resolve) => (answer = resolve))
    const racing = createAccountsService({
      db: t.database.db,
      cipher: t.cipher,
      config: t.config,
      clock,
      log: { info: () => undefined, warn: () => undefined },
      fetch: async () => {
        entered()
        await gate
        const body = { error: { code: 'refresh_token_expired', message: 'expired' } }
        return new Response(JSON.stringify(body), { status: 401 })
      },
    })
    const account = fake.addAccount()
    const { account: imported } = await racing.importAuthJson(JSON.stringify(account.authJson))
    const refreshing = racing.ensureFresh(imported.id, { force: true })
    await posted
    const relogin = structuredClone(account.authJson)
    relogin.tokens.refresh_token = 'rt_from_relogin'
    await racing.importAuthJson(JSON.stringify(relogin))
    answer()
    const credential = await refreshing
    expect(credential.accessToken).toBe(relogin.tokens.access_token)
    const stored = await racing.get(imported.id)
    expect(stored.status).toBe('active')
  })
})
