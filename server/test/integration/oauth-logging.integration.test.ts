import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAccountsService } from '../../src/modules/accounts/index.js'
import { createOAuthService, type OAuthService } from '../../src/modules/oauth/index.js'
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream.js'
import { authorizeParams, callbackUrl, visit } from '../support/oauth.js'
import { startTestApp, type TestApp } from '../support/test-app.js'

describe('OAuth sign-in logs', () => {
  let fake: FakeUpstream
  let t: TestApp
  let oauth: OAuthService
  const lines: string[] = []
  const capture = (obj: object, msg: string) => lines.push(JSON.stringify({ ...obj, msg }))
  const log = { info: capture, warn: capture }

  beforeAll(async () => {
    fake = await startFakeUpstream()
    t = await startTestApp({
      env: { AUTH_BASE_URL: fake.authBaseUrl, OAUTH_CALLBACK_PORT: '0' },
    })
    const clock = { now: () => Date.now() }
    const accounts = createAccountsService({
      db: t.database.db,
      cipher: t.cipher,
      config: t.config,
      clock,
      log,
    })
    oauth = createOAuthService({ config: t.config, accounts, clock, log })
  })
  afterAll(async () => {
    await oauth.close()
    await t.close()
    await fake.close()
  })

  it('carry no tokens, codes, verifiers or states', async () => {
    const account = fake.addAccount()
    const ok = await oauth.start()
    const okParams = authorizeParams(ok.authorizationUrl!)
    fake.registerAuthCode('log-code-ok', account)
    await visit(callbackUrl(okParams.redirectUri, { code: 'log-code-ok', state: okParams.state }))
    expect(oauth.status({ flowId: ok.flowId }).status).toBe('success')

    const bad = await oauth.start()
    const badParams = authorizeParams(bad.authorizationUrl!)
    await visit(callbackUrl(badParams.redirectUri, { code: 'log-code-bad', state: 'forged' }))
    await visit(
      callbackUrl(badParams.redirectUri, { code: 'log-code-bad', state: badParams.state }),
    )
    expect(oauth.status({ flowId: bad.flowId }).status).toBe('error')

    const text = lines.join('\n')
    expect(text).toContain('oauth sign-in stored the account')
    expect(text).toContain('oauth callback refused')
    expect(text).toContain('"code":"invalid_grant"')
    const [exchange] = fake.requestsTo('/oauth/token')
    const verifier = new URLSearchParams(exchange!.rawBody.toString('utf8')).get('code_verifier')!
    const tokens = fake.tokens(account)
    for (const secret of [
      tokens.accessToken,
      tokens.refreshToken,
      tokens.idToken,
      verifier,
      'log-code-ok',
      'log-code-bad',
      okParams.state,
      badParams.state,
    ]) {
      expect(text).not.toContain(secret)
    }
  })
})
