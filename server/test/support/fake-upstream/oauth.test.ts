import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { AUTH_CLAIM, decodeJwtPayload } from '../jwt.js'
import { startFakeUpstream, type FakeUpstream } from '../fake-upstream.js'

let fake: FakeUpstream

beforeAll(async () => {
  fake = await startFakeUpstream()
})
afterAll(async () => fake.close())
beforeEach(() => fake.reset())

interface TokenJson {
  access_token: string
  refresh_token: string
  id_token: string
}

async function errorOf(res: Response): Promise<Record<string, unknown>> {
  return ((await res.json()) as { error: Record<string, unknown> }).error
}

function usage(token: string) {
  return fetch(`${fake.backendBaseUrl}/wham/usage`, {
    headers: { authorization: `Bearer ${token}` },
  })
}

function post(path: string, body: Record<string, string>, form = false) {
  return fetch(`${fake.authBaseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' },
    body: form ? new URLSearchParams(body) : JSON.stringify(body),
  })
}

function refresh(refreshToken: string) {
  return post('/oauth/token', {
    grant_type: 'refresh_token',
    client_id: 'app_x',
    refresh_token: refreshToken,
    scope: 'openid profile email',
  })
}

function exchange(code: string, codeVerifier: string) {
  const body = {
    grant_type: 'authorization_code',
    client_id: 'x',
    code,
    code_verifier: codeVerifier,
  }
  return post(
    '/oauth/token',
    { ...body, redirect_uri: `${fake.authBaseUrl}/deviceauth/callback` },
    true,
  )
}

async function startDevice() {
  const res = await post('/api/accounts/deviceauth/usercode', { client_id: 'x' })
  const start = (await res.json()) as { device_auth_id: string; user_code: string }
  return () =>
    post('/api/accounts/deviceauth/token', {
      device_auth_id: start.device_auth_id,
      user_code: start.user_code,
    })
}

describe('fake upstream: oauth', () => {
  it('rotates tokens on refresh and rejects the old ones', async () => {
    const account = fake.addAccount({ email: 'r@example.com', chatgptAccountId: 'acc-r' })
    expect(account.authJson).toMatchObject({
      OPENAI_API_KEY: null,
      tokens: { access_token: account.accessToken, account_id: 'acc-r' },
    })
    expect(decodeJwtPayload(account.idToken)).toMatchObject({
      email: 'r@example.com',
      [AUTH_CLAIM]: { chatgpt_account_id: 'acc-r', chatgpt_plan_type: 'plus' },
    })
    const res = await refresh(account.refreshToken)
    expect(res.status).toBe(200)
    const tokens = (await res.json()) as TokenJson
    expect(tokens.refresh_token).not.toBe(account.refreshToken)
    expect((await usage(account.accessToken)).status).toBe(401)
    expect((await usage(tokens.access_token)).status).toBe(200)
    const reused = await refresh(account.refreshToken)
    expect(reused.status).toBe(401)
    expect((await errorOf(reused)).code).toBe('refresh_token_reused')
    expect(fake.refreshCount(account)).toBe(2)
    expect(fake.tokens(account)).toMatchObject({ accessToken: tokens.access_token, generation: 1 })
  })

  it('fails refresh permanently or transiently as scripted', async () => {
    const account = fake.addAccount()
    fake.scriptRefresh(account, { kind: 'http-error', status: 500 }, { kind: 'ok' })
    expect((await refresh(account.refreshToken)).status).toBe(500)
    expect((await refresh(account.refreshToken)).status).toBe(200)
    const other = fake.addAccount()
    fake.failRefresh(other, 'refresh_token_invalidated')
    const res = await refresh(other.refreshToken)
    expect(res.status).toBe(401)
    expect((await errorOf(res)).code).toBe('refresh_token_invalidated')
  })

  it('runs the device flow and exchanges its code as a form body', async () => {
    const account = fake.addAccount({ email: 'device@example.com' })
    fake.scriptDevice({ account, pendingPolls: 2, slowDownPolls: 1, intervalSeconds: 5 })
    const started = await post('/api/accounts/deviceauth/usercode', { client_id: 'x' })
    expect(await started.json()).toMatchObject({
      device_auth_id: expect.any(String),
      user_code: expect.stringMatching(/^[0-9A-F]{4}-[0-9A-F]{4}$/),
      interval: '5',
      expires_in: 900,
    })
    const poll = await startDevice()
    expect((await errorOf(await poll())).code).toBe('slow_down')
    expect((await poll()).status).toBe(403)
    expect((await errorOf(await poll())).code).toBe('authorization_pending')
    const ok = (await (await poll()).json()) as {
      authorization_code: string
      code_verifier: string
    }
    expect(ok).toMatchObject({
      authorization_code: expect.any(String),
      code_verifier: expect.any(String),
    })
    expect((await exchange(ok.authorization_code, 'wrong-verifier')).status).toBe(400)
    const res = await exchange(ok.authorization_code, ok.code_verifier)
    expect(res.status).toBe(200)
    const tokens = (await res.json()) as TokenJson
    expect(decodeJwtPayload(tokens.id_token).email).toBe('device@example.com')
    expect((await usage(tokens.access_token)).status).toBe(200)
    expect(fake.requests.at(-2)).toMatchObject({
      body: { grant_type: 'authorization_code', code: ok.authorization_code },
      account,
    })
    expect((await exchange(ok.authorization_code, ok.code_verifier)).status).toBe(400)
    expect(fake.deviceSessions.at(-1)?.polls).toBe(4)
  })

  it.each([
    ['expired', { outcome: 'expired' as const }, 400, 'expired_token'],
    ['denied', { outcome: 'denied' as const }, 400, 'access_denied'],
    ['past expires_in', { expiresInSeconds: -1 }, 400, 'expired_token'],
  ])('ends the device flow: %s', async (_name, script, status, code) => {
    const account = fake.addAccount()
    fake.scriptDevice({ account, pendingPolls: 0, ...script })
    const poll = await startDevice()
    const res = await poll()
    expect(res.status).toBe(status)
    expect((await errorOf(res)).code).toBe(code)
  })

  it('answers 404 when device login is unavailable', async () => {
    fake.scriptDevice({ account: fake.addAccount(), unavailable: true })
    expect((await post('/api/accounts/deviceauth/usercode', { client_id: 'x' })).status).toBe(404)
  })

  it('logs in with a registered authorization code; earlier sessions keep working', async () => {
    const account = fake.addAccount()
    fake.registerAuthCode('code-1', account, 'verifier-1')
    const res = await exchange('code-1', 'verifier-1')
    expect(res.status).toBe(200)
    const tokens = (await res.json()) as TokenJson
    expect((await usage(tokens.access_token)).status).toBe(200)
    expect((await usage(account.accessToken)).status).toBe(200)
    expect((await exchange('unknown', 'v')).status).toBe(400)
  })

  it('leaves scripted tokens out of a code exchange answer', async () => {
    const account = fake.addAccount()
    fake.registerAuthCode('code-partial', account, undefined, { omitTokens: ['id_token'] })
    const res = await exchange('code-partial', 'any-verifier')
    expect(res.status).toBe(200)
    const body = (await res.json()) as Record<string, unknown>
    expect(Object.keys(body)).toContain('access_token')
    expect(Object.keys(body)).not.toContain('id_token')
  })

  it('expireAccessToken makes the token 401 until a refresh', async () => {
    const account = fake.addAccount()
    fake.expireAccessToken(account)
    const res = await usage(account.accessToken)
    expect(res.status).toBe(401)
    expect((await errorOf(res)).code).toBe('token_expired')
    const tokens = (await (await refresh(account.refreshToken)).json()) as TokenJson
    expect((await usage(tokens.access_token)).status).toBe(200)
  })

  it('answers an unknown refresh token with refresh_token_invalidated', async () => {
    const res = await refresh('rt_unknown')
    expect(res.status).toBe(401)
    expect((await errorOf(res)).code).toBe('refresh_token_invalidated')
  })
})
