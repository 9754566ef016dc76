import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { accountsListResponseSchema } from '../../src/modules/accounts/index.js'
import { DashboardClient, startDialectApp } from '../support/dashboard-client.js'
import { dialects } from '../support/dialects.js'
import { startFakeUpstream, type FakeAccount, type FakeUpstream } from '../support/fake-upstream.js'
import { beginSignIn, callbackUrl, oauthStatus } from '../support/oauth.js'
import type { TestApp } from '../support/test-app.js'

const DIALECTS = await dialects()

/** POST /api/oauth/complete with the redirect URL: the browser could not reach the callback port. */
describe.each(DIALECTS)('OAuth sign-in by pasted redirect URL on $name', (dialect) => {
  let fake: FakeUpstream
  let t: TestApp
  let api: DashboardClient

  beforeAll(async () => {
    fake = await startFakeUpstream()
    t = await startDialectApp(dialect, {
      env: { AUTH_BASE_URL: fake.authBaseUrl, OAUTH_CALLBACK_PORT: '0' },
    })
    api = new DashboardClient(t.url)
  })
  afterAll(async () => {
    await t.close()
    await fake.close()
  })
  beforeEach(() => fake.reset())

  const begin = (account: FakeAccount) => beginSignIn(api, fake, account)

  async function accountIds(): Promise<string[]> {
    const res = await api.get('/api/accounts')
    return accountsListResponseSchema.parse(res.body).accounts.map((a) => a.accountId)
  }

  it('completes the flow; a second paste is refused', async () => {
    const account = fake.addAccount({ email: 'remote@example.com' })
    const { start, url } = await begin(account)
    const done = await api.post('/api/oauth/complete', { callback_url: url })
    expect(done.status).toBe(200)
    expect(done.body).toMatchObject({
      flowId: start.flowId,
      status: 'success',
      email: 'remote@example.com',
      errorMessage: null,
    })
    expect(await accountIds()).toContain(done.body.accountId)

    const again = await api.post('/api/oauth/complete', { callbackUrl: url })
    expect(again.status).toBe(400)
    expect(again.body).toEqual({
      error: {
        code: 'oauth_state_used',
        message: 'This sign-in link was already used. Start a new sign-in.',
      },
    })
  })

  it('answers bad pastes with the reason and stores nothing', async () => {
    const { start, params, code } = await begin(fake.addAccount())
    const notUrl = await api.post('/api/oauth/complete', { callbackUrl: 'not a url' })
    expect(notUrl.status).toBe(400)
    expect(notUrl.body.error.code).toBe('invalid_callback_url')
    const forged = await api.post('/api/oauth/complete', {
      callbackUrl: callbackUrl(params.redirectUri, { code, state: 'other' }),
    })
    expect(forged.status).toBe(400)
    expect(forged.body.error).toEqual({
      code: 'invalid_oauth_state',
      message: 'Invalid OAuth callback state.',
    })
    expect(await oauthStatus(api, `?flowId=${start.flowId}`)).toMatchObject({ status: 'pending' })

    const failed = await api.post('/api/oauth/complete', {
      callbackUrl: `?code=never-issued&state=${params.state}`,
    })
    expect(failed.status).toBe(502)
    expect(failed.body.error).toEqual({
      code: 'invalid_grant',
      message: 'Unknown authorization code',
    })
    expect(await oauthStatus(api, `?flowId=${start.flowId}`)).toMatchObject({ status: 'error' })
  })
})
