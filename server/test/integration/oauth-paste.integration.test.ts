import { describe, expect, it } from 'vitest'
import { dialects } from '../support/dialects.js'
import { oauthAppFixture } from '../support/oauth-app.js'
import { callbackUrl, oauthStatus } from '../support/oauth.js'

const DIALECTS = await dialects()

/** POST /api/oauth/complete with the redirect URL: the browser could not reach the callback port. */
describe.each(DIALECTS)('OAuth sign-in by pasted redirect URL on $name', (dialect) => {
  const app = oauthAppFixture(dialect)
  const { accountIds, begin } = app

  it('completes the flow; a second paste is refused', async () => {
    const account = app.fake.addAccount({ email: 'remote@example.com' })
    const { start, url } = await begin(account)
    const done = await app.api.post('/api/oauth/complete', { callback_url: url })
    expect(done.status).toBe(200)
    expect(done.body).toMatchObject({
      flowId: start.flowId,
      status: 'success',
      email: 'remote@example.com',
      errorMessage: null,
    })
    expect(await accountIds()).toContain(done.body.accountId)

    const again = await app.api.post('/api/oauth/complete', { callbackUrl: url })
    expect(again.status).toBe(400)
    expect(again.body).toEqual({
      error: {
        code: 'oauth_state_used',
        message: 'This sign-in link was already used. Start a new sign-in.',
      },
    })
  })

  it('answers bad pastes with the reason and stores nothing', async () => {
    const { start, params, code } = await begin(app.fake.addAccount())
    const notUrl = await app.api.post('/api/oauth/complete', { callbackUrl: 'not a url' })
    expect(notUrl.status).toBe(400)
    expect(notUrl.body.error.code).toBe('invalid_callback_url')
    const forged = await app.api.post('/api/oauth/complete', {
      callbackUrl: callbackUrl(params.redirectUri, { code, state: 'other' }),
    })
    expect(forged.status).toBe(400)
    expect(forged.body.error).toEqual({
      code: 'invalid_oauth_state',
      message: 'Invalid OAuth callback state.',
    })
    expect(await oauthStatus(app.api, `?flowId=${start.flowId}`)).toMatchObject({
      status: 'pending',
    })

    const failed = await app.api.post('/api/oauth/complete', {
      callbackUrl: `?code=never-issued&state=${params.state}`,
    })
    expect(failed.status).toBe(502)
    expect(failed.body.error).toEqual({
      code: 'invalid_grant',
      message: 'Unknown authorization code',
    })
    expect(await oauthStatus(app.api, `?flowId=${start.flowId}`)).toMatchObject({ status: 'error' })
  })
})
