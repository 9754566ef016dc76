import { createServer, type Server } from 'node:net'
import type { AddressInfo } from 'node:net'
import { setTimeout as delay } from 'node:timers/promises'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { accountsListResponseSchema } from '../../src/modules/accounts/index.js'
import type { Sleep } from '../../src/modules/oauth/index.js'
import { DashboardClient } from '../support/dashboard-client.js'
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream.js'
import {
  authorizeParams,
  callbackUrl,
  oauthStatus,
  startOAuth,
  visit,
  waitForFlow,
} from '../support/oauth.js'
import { startTestApp, type TestApp } from '../support/test-app.js'

/** Starts at real time (the fake's JWT `exp` is real time); device waits move it instead of sleeping. */
function offsetClock() {
  let offset = 0
  return { now: () => Date.now() + offset, advance: (ms: number) => (offset += ms) }
}

describe('OAuth device-code sign-in', () => {
  let fake: FakeUpstream
  let t: TestApp
  let api: DashboardClient
  const clock = offsetClock()
  let waits: number[] = []
  const sleep: Sleep = async (ms, signal) => {
    waits.push(ms)
    clock.advance(ms)
    await delay(1, undefined, { signal })
  }

  beforeAll(async () => {
    fake = await startFakeUpstream()
    t = await startTestApp({
      clock,
      oauthDevicePolling: { sleep },
      env: { AUTH_BASE_URL: fake.authBaseUrl, OAUTH_CALLBACK_PORT: '0' },
    })
    api = new DashboardClient(t.url)
  })
  afterAll(async () => {
    await t.close()
    await fake.close()
  })
  beforeEach(() => {
    fake.reset()
    waits = []
  })

  it('shows a user code, polls every 5 s when the server gives no interval, stores the account', async () => {
    const account = fake.addAccount({ email: 'device@example.com' })
    fake.scriptDevice({ account, pendingPolls: 2 })
    const start = await startOAuth(api, { force_method: 'device' })
    const session = fake.deviceSessions.at(-1)!
    expect(start).toEqual({
      method: 'device',
      flowId: start.flowId,
      state: null,
      authorizationUrl: null,
      callbackUrl: null,
      verificationUrl: `${fake.authBaseUrl}/codex/device`,
      userCode: session.userCode,
      deviceAuthId: session.deviceAuthId,
      intervalSeconds: 5,
      expiresInSeconds: 900,
    })
    expect(fake.requestsTo('/api/accounts/deviceauth/usercode')[0]!.body).toEqual({
      client_id: t.config.oauth.clientId,
    })

    const done = await waitForFlow(api, start.flowId)
    expect(done).toMatchObject({ status: 'success', email: 'device@example.com', method: 'device' })
    expect(waits).toEqual([5_000, 5_000, 5_000])
    expect(session.polls).toBe(3)
    const [exchange] = fake.requestsTo('/oauth/token')
    expect(exchange!.headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(exchange!.body).toEqual({
      grant_type: 'authorization_code',
      client_id: t.config.oauth.clientId,
      code: session.authorizationCode,
      code_verifier: session.codeVerifier,
      redirect_uri: `${fake.authBaseUrl}/deviceauth/callback`,
    })
    const accounts = accountsListResponseSchema.parse((await api.get('/api/accounts')).body)
    expect(accounts.accounts.map((a) => a.accountId)).toContain(done.accountId)

    // /complete with the device ids (what the dashboard sends) reports the same flow.
    const complete = await api.post('/api/oauth/complete', {
      deviceAuthId: start.deviceAuthId,
      userCode: start.userCode,
    })
    expect(complete.body).toEqual(done)
    expect((await api.post('/api/oauth/complete', { flowId: start.flowId })).body).toEqual(done)
  })

  it("honours the server's interval and slows down by 5 s on each slow_down", async () => {
    const account = fake.addAccount()
    fake.scriptDevice({ account, intervalSeconds: 7, slowDownPolls: 2, pendingPolls: 1 })
    const start = await startOAuth(api, { forceMethod: 'device' })
    expect(start.intervalSeconds).toBe(7)
    expect(await waitForFlow(api, start.flowId)).toMatchObject({ status: 'success' })
    expect(waits).toEqual([7_000, 12_000, 17_000, 17_000])
  })

  it('treats 404 and coded 400 answers as pending', async () => {
    const account = fake.addAccount()
    for (const pendingStatus of [404, 400]) {
      fake.scriptDevice({ account, pendingPolls: 2, pendingStatus })
      const start = await startOAuth(api, { forceMethod: 'device' })
      expect(await waitForFlow(api, start.flowId)).toMatchObject({ status: 'success' })
    }
  })

  it('stops at expiry with "Device code expired." and stores nothing', async () => {
    const account = fake.addAccount()
    fake.scriptDevice({ account, pendingPolls: 1_000, expiresInSeconds: 12 })
    const start = await startOAuth(api, { forceMethod: 'device' })
    expect(start.expiresInSeconds).toBe(12)
    const done = await waitForFlow(api, start.flowId)
    expect(done).toMatchObject({ status: 'error', errorMessage: 'Device code expired.' })
    // Polls at +5 s and +10 s; at +15 s the code is dead and no poll is sent.
    expect(waits).toEqual([5_000, 5_000, 5_000])
    expect(fake.deviceSessions.at(-1)!.polls).toBe(2)
    expect(fake.requestsTo('/oauth/token')).toHaveLength(0)
  })

  it('reports expiry and denial told by the server', async () => {
    const account = fake.addAccount()
    fake.scriptDevice({ account, outcome: 'expired' })
    const expired = await startOAuth(api, { forceMethod: 'device' })
    expect(await waitForFlow(api, expired.flowId)).toMatchObject({
      status: 'error',
      errorMessage: 'Device code expired.',
    })
    fake.scriptDevice({ account, outcome: 'denied' })
    const denied = await startOAuth(api, { forceMethod: 'device' })
    expect(await waitForFlow(api, denied.flowId)).toMatchObject({
      status: 'error',
      errorMessage: 'The user denied the request',
    })
  })

  it('answers 502 with the code when device login is unavailable', async () => {
    fake.scriptDevice({ account: fake.addAccount(), unavailable: true })
    const res = await api.post('/api/oauth/start', { forceMethod: 'device' })
    expect(res.status).toBe(502)
    expect(res.body).toEqual({
      error: {
        code: 'device_auth_unavailable',
        message: 'The auth server does not offer device-code sign-in.',
      },
    })
  })

  it('answers unknown device ids with 404', async () => {
    const res = await api.post('/api/oauth/complete', { deviceAuthId: 'nope', userCode: 'NOPE' })
    expect(res.status).toBe(404)
    expect(res.body.error.code).toBe('oauth_flow_not_found')
  })
})

describe('OAuth sign-in configuration', () => {
  let fake: FakeUpstream
  let blocker: Server
  let blockedPort: number

  beforeAll(async () => {
    fake = await startFakeUpstream()
    blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    blockedPort = (blocker.address() as AddressInfo).port
  })
  afterAll(async () => {
    await new Promise((resolve) => blocker.close(resolve))
    await fake.close()
  })

  it('falls back to the device flow when the callback port is taken', async () => {
    const t = await startTestApp({
      env: { AUTH_BASE_URL: fake.authBaseUrl, OAUTH_CALLBACK_PORT: String(blockedPort) },
    })
    try {
      fake.scriptDevice({ account: fake.addAccount() })
      const api = new DashboardClient(t.url)
      for (const body of [{}, { forceMethod: 'browser' }]) {
        const start = await startOAuth(api, body)
        expect(start).toMatchObject({ method: 'device', authorizationUrl: null })
        expect(start.userCode).toEqual(expect.any(String))
      }
    } finally {
      await t.close()
    }
  })

  it('names the taken port when the device-code fallback fails too', async () => {
    const t = await startTestApp({
      env: { AUTH_BASE_URL: fake.authBaseUrl, OAUTH_CALLBACK_PORT: String(blockedPort) },
    })
    try {
      fake.scriptDevice({ account: fake.addAccount(), unavailable: true })
      const res = await new DashboardClient(t.url).post('/api/oauth/start', {})
      expect(res.status).toBe(502)
      expect(res.body.error.code).toBe('device_auth_unavailable')
      expect(res.body.error.message).toBe(
        `The sign-in callback port 127.0.0.1:${blockedPort} is unavailable (EADDRINUSE), and the ` +
          'device-code sign-in used instead failed: ' +
          'The auth server does not offer device-code sign-in.',
      )
    } finally {
      await t.close()
    }
  })

  it('closes the callback listener when the flow times out; a late paste says it expired', async () => {
    const t = await startTestApp({
      env: {
        AUTH_BASE_URL: fake.authBaseUrl,
        OAUTH_CALLBACK_PORT: '0',
        OAUTH_FLOW_TTL_SECONDS: '0.3',
      },
    })
    try {
      const api = new DashboardClient(t.url)
      const account = fake.addAccount()
      const start = await startOAuth(api)
      const { redirectUri, state } = authorizeParams(start.authorizationUrl!)
      fake.registerAuthCode('late-code', account)
      // Listening while the flow is pending (any path answers; only /auth/callback signs in).
      expect((await visit(`${new URL(redirectUri).origin}/`)).status).toBe(404)
      await delay(400)
      expect(await oauthStatus(api, `?flowId=${start.flowId}`)).toMatchObject({
        status: 'error',
        errorMessage: 'The sign-in timed out. Start a new sign-in.',
      })
      await expect(fetch(callbackUrl(redirectUri, { code: 'late-code', state }))).rejects.toThrow()
      const late = await api.post('/api/oauth/complete', {
        callbackUrl: callbackUrl(redirectUri, { code: 'late-code', state }),
      })
      expect(late.status).toBe(400)
      expect(late.body.error).toEqual({
        code: 'oauth_flow_expired',
        message: 'This sign-in has expired. Start a new sign-in.',
      })
      expect(fake.requestsTo('/oauth/token')).toHaveLength(0)
    } finally {
      await t.close()
    }
  })

  it('uses an explicit redirect URI verbatim and times flows out', async () => {
    const redirect = 'https://lb.example.test/auth/callback'
    const t = await startTestApp({
      env: {
        AUTH_BASE_URL: fake.authBaseUrl,
        OAUTH_CALLBACK_PORT: '0',
        OAUTH_REDIRECT_URI: redirect,
        OAUTH_FLOW_TTL_SECONDS: '0.2',
      },
    })
    try {
      const api = new DashboardClient(t.url)
      const start = await startOAuth(api)
      expect(start.callbackUrl).toBe(redirect)
      expect(authorizeParams(start.authorizationUrl!).redirectUri).toBe(redirect)
      expect(start.authorizationUrl).toContain(
        'redirect_uri=https%3A%2F%2Flb.example.test%2Fauth%2Fcallback&',
      )
      await delay(300)
      expect(await oauthStatus(api, `?flowId=${start.flowId}`)).toMatchObject({
        status: 'error',
        errorMessage: 'The sign-in timed out. Start a new sign-in.',
      })
    } finally {
      await t.close()
    }
  })

  it('sits behind the dashboard session', async () => {
    const t = await startTestApp({ env: { AUTH_BASE_URL: fake.authBaseUrl } })
    try {
      const owner = new DashboardClient(t.url)
      await owner.post('/api/dashboard-auth/password/setup', { password: 'correct horse battery' })
      const anonymous = new DashboardClient(t.url)
      for (const res of [
        await anonymous.post('/api/oauth/start', { forceMethod: 'device' }),
        await anonymous.get('/api/oauth/status'),
        await anonymous.post('/api/oauth/complete', {}),
      ]) {
        expect(res.status).toBe(401)
        expect(res.body.error.code).toBe('authentication_required')
      }
      expect(await oauthStatus(owner)).toEqual({
        flowId: null,
        method: null,
        status: 'pending',
        errorMessage: null,
        accountId: null,
        email: null,
      })
    } finally {
      await t.close()
    }
  })
})
