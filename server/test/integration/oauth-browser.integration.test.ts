import { describe, expect, it } from 'vitest'
import { dialects } from '../support/dialects.js'
import { oauthAppFixture } from '../support/oauth-app.js'
import {
  authorizeParams,
  callbackUrl,
  oauthStatus,
  s256,
  startOAuth,
  visit,
} from '../support/oauth.js'

const DIALECTS = await dialects()

describe.each(DIALECTS)('OAuth browser sign-in on $name', (dialect) => {
  const app = oauthAppFixture(dialect)
  const { accountIds, begin } = app

  it('signs in: authorize URL, callback with code + state, account stored', async () => {
    const account = app.fake.addAccount({ email: 'Browser@Example.com', planType: 'pro' })
    const { start, params, url } = await begin(account)

    expect(start).toMatchObject({
      method: 'browser',
      state: params.state,
      verificationUrl: null,
      userCode: null,
      deviceAuthId: null,
      intervalSeconds: null,
      expiresInSeconds: 600,
    })
    expect(start.callbackUrl).toMatch(/^http:\/\/localhost:\d+\/auth\/callback$/)
    expect(params.redirectUri).toBe(start.callbackUrl)
    expect(`${params.url.origin}${params.url.pathname}`).toBe(
      `${app.fake.authBaseUrl}/oauth/authorize`,
    )
    expect([...params.url.searchParams.keys()]).toEqual([
      'response_type',
      'client_id',
      'redirect_uri',
      'scope',
      'code_challenge',
      'code_challenge_method',
      'state',
      'id_token_add_organizations',
      'codex_cli_simplified_flow',
      'originator',
    ])
    const port = new URL(start.callbackUrl!).port
    expect(params.url.search).toContain(
      `&redirect_uri=http%3A%2F%2Flocalhost%3A${port}%2Fauth%2Fcallback&scope=openid%20profile%20email%20offline_access&`,
    )
    expect(params.url.search).toMatch(
      /&code_challenge_method=S256&state=[\w-]{22}&id_token_add_organizations=true&codex_cli_simplified_flow=true&originator=codex_cli_rs$/,
    )
    expect(params.url.searchParams.get('client_id')).toBe(app.t.config.oauth.clientId)

    const page = await visit(url)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('referrer-policy')).toBe('no-referrer')
    expect(page.html).toContain('Signed in')
    expect(page.html).toContain('browser@example.com was added to codex-lb.')

    const status = await oauthStatus(app.api, `?flowId=${start.flowId}`)
    expect(status).toMatchObject({ status: 'success', errorMessage: null, method: 'browser' })
    expect(status.email).toBe('browser@example.com')
    expect(await accountIds()).toContain(status.accountId)
    expect(await oauthStatus(app.api, `?state=${params.state}`)).toEqual(status)
    expect(await oauthStatus(app.api)).toEqual(status)

    // The exchange: form-encoded, the PKCE verifier matching the challenge, the same redirect_uri.
    const [exchange] = app.fake.requestsTo('/oauth/token')
    expect(exchange!.headers['content-type']).toBe('application/x-www-form-urlencoded')
    const form = new URLSearchParams(exchange!.rawBody.toString('utf8'))
    expect([...form.keys()]).toEqual([
      'grant_type',
      'client_id',
      'code',
      'code_verifier',
      'redirect_uri',
    ])
    expect(form.get('grant_type')).toBe('authorization_code')
    expect(form.get('redirect_uri')).toBe(params.redirectUri)
    expect(form.get('code_verifier')).toMatch(/^[\w-]{43}$/)
    expect(s256(form.get('code_verifier')!)).toBe(params.codeChallenge)

    // No tokens anywhere the user can see.
    const current = app.fake.tokens(account)
    for (const secret of [current.accessToken, current.refreshToken, current.idToken]) {
      expect(page.html).not.toContain(secret)
      expect(JSON.stringify(status)).not.toContain(secret)
    }
    expect(JSON.stringify(status)).not.toContain(form.get('code_verifier'))

    // Nothing pending any more: the listener is gone.
    await expect(waitUntilClosed(url)).resolves.toBe(true)
  })

  it('keeps concurrent sign-ins apart by state', async () => {
    const first = app.fake.addAccount({ email: 'first@example.com' })
    const second = app.fake.addAccount({ email: 'second@example.com' })
    const a = await begin(first)
    const b = await begin(second)
    expect(a.params.state).not.toBe(b.params.state)
    // One listener (one port) serves both.
    expect(a.params.redirectUri).toBe(b.params.redirectUri)

    expect((await visit(b.url)).status).toBe(200)
    expect(await oauthStatus(app.api, `?flowId=${a.start.flowId}`)).toMatchObject({
      status: 'pending',
    })
    expect((await visit(a.url)).status).toBe(200)
    const statusA = await oauthStatus(app.api, `?flowId=${a.start.flowId}`)
    const statusB = await oauthStatus(app.api, `?flowId=${b.start.flowId}`)
    expect(statusA).toMatchObject({ status: 'success', email: 'first@example.com' })
    expect(statusB).toMatchObject({ status: 'success', email: 'second@example.com' })
  })

  it('refuses a callback whose state belongs to no flow, leaving pending flows alone', async () => {
    const account = app.fake.addAccount()
    const { start, params, code, url } = await begin(account)
    const page = await visit(callbackUrl(params.redirectUri, { code, state: 'forged-state' }))
    expect(page.status).toBe(400)
    expect(page.html).toContain('Invalid OAuth callback state.')
    expect(page.html).toContain('No account was stored.')
    expect(await oauthStatus(app.api, `?flowId=${start.flowId}`)).toMatchObject({
      status: 'pending',
    })
    expect(app.fake.requestsTo('/oauth/token')).toHaveLength(0)
    // The real callback still works afterwards.
    expect((await visit(url)).status).toBe(200)
  })

  it('refuses a reused state without touching the finished flow', async () => {
    const a = await begin(app.fake.addAccount())
    const b = await begin(app.fake.addAccount())
    expect((await visit(a.url)).status).toBe(200)
    const done = await oauthStatus(app.api, `?flowId=${a.start.flowId}`)

    // b keeps the listener open; a's URL is replayed.
    const replay = await visit(a.url)
    expect(replay.status).toBe(400)
    expect(replay.html).toContain('This sign-in link was already used.')
    expect(await oauthStatus(app.api, `?flowId=${a.start.flowId}`)).toEqual(done)
    expect(app.fake.requestsTo('/oauth/token')).toHaveLength(1)
    expect((await visit(b.url)).status).toBe(200)
  })

  it('ends the flow on an error= callback and escapes what it echoes', async () => {
    const before = await accountIds()
    const { start, params } = await begin(app.fake.addAccount())
    const page = await visit(
      callbackUrl(params.redirectUri, {
        error: 'access_denied',
        error_description: '<script>alert("x")</script> denied',
        state: params.state,
      }),
    )
    expect(page.status).toBe(400)
    expect(page.html).not.toContain('<script>')
    expect(page.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; denied')
    expect(await oauthStatus(app.api, `?flowId=${start.flowId}`)).toMatchObject({
      status: 'error',
      errorMessage: 'The sign-in was not completed: <script>alert("x")</script> denied',
      accountId: null,
    })
    expect(await accountIds()).toEqual(before)
    expect(app.fake.requestsTo('/oauth/token')).toHaveLength(0)
  })

  it('ends the flow when the callback has no code', async () => {
    const before = await accountIds()
    const { start, params } = await begin(app.fake.addAccount())
    const page = await visit(callbackUrl(params.redirectUri, { state: params.state }))
    expect(page.status).toBe(400)
    expect(page.html).toContain('The callback has no authorization code.')
    expect(await oauthStatus(app.api, `?flowId=${start.flowId}`)).toMatchObject({
      status: 'error',
      errorMessage: 'The callback has no authorization code.',
    })
    expect(await accountIds()).toEqual(before)
  })

  it('stores nothing when the token response lacks a token', async () => {
    const before = await accountIds()
    const account = app.fake.addAccount()
    const start = await startOAuth(app.api)
    const params = authorizeParams(start.authorizationUrl!)
    app.fake.registerAuthCode('partial-code', account, undefined, { omitTokens: ['refresh_token'] })
    const page = await visit(
      callbackUrl(params.redirectUri, { code: 'partial-code', state: params.state }),
    )
    expect(page.status).toBe(502)
    expect(page.html).toContain('The token response has no refresh_token.')
    expect(await oauthStatus(app.api, `?flowId=${start.flowId}`)).toMatchObject({
      status: 'error',
      errorMessage: 'The token response has no refresh_token.',
    })
    expect(await accountIds()).toEqual(before)
  })

  it('reports the auth server error of a failed exchange', async () => {
    const start = await startOAuth(app.api)
    const params = authorizeParams(start.authorizationUrl!)
    const page = await visit(
      callbackUrl(params.redirectUri, { code: 'never-issued', state: params.state }),
    )
    expect(page.status).toBe(502)
    expect(page.html).toContain('Unknown authorization code')
    expect(page.html).not.toMatch(/at \w+ \(|\.ts:\d+/)
    expect(await oauthStatus(app.api, `?flowId=${start.flowId}`)).toMatchObject({
      status: 'error',
      errorMessage: 'Unknown authorization code',
    })
  })

  it('validates input and answers unknown flows with 404', async () => {
    const bad = await app.api.post('/api/oauth/start', { forceMethod: 'carrier-pigeon' })
    expect(bad.status).toBe(422)
    expect(bad.body.error.code).toBe('validation_error')
    const unknown = await app.api.get('/api/oauth/status?flowId=nope')
    expect(unknown.status).toBe(404)
    expect(unknown.body.error.code).toBe('oauth_flow_not_found')
  })
})

/** The listener closes once no browser flow is pending; a connection is then refused. */
async function waitUntilClosed(url: string, timeoutMs = 3_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    try {
      await fetch(url)
    } catch {
      return true
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return false
}
