import { HOTP, Secret } from 'otpauth'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DashboardClient } from '../support/dashboard-client.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'

// Issue 4: secrets (password and its hash, TOTP secret, API keys and their hashes, session cookies,
// ChatGPT tokens) never appear in a response that is not the one handing them out, nor in any log.
describe('secrets stay out of responses and logs', () => {
  let h: ProxyHarness
  const lines: string[] = []
  const PASSWORD = 'Sup3r-secret dashboard pass'
  const WRONG = 'N0t-the-password at all'
  const secrets: string[] = [PASSWORD, WRONG]
  const bodies: string[] = []

  beforeAll(async () => {
    h = await startProxyHarness({
      env: { LOG_LEVEL: 'trace' },
      logStream: { write: (line) => void lines.push(line) },
    })
    const account = await h.addAccount({ email: 'secrets@example.com' })
    const api = new DashboardClient(h.t.url)
    const keep = async (res: Promise<{ body: unknown }>) => {
      bodies.push(JSON.stringify((await res).body))
    }

    await api.post('/api/dashboard-auth/password/setup', { password: PASSWORD })
    await new DashboardClient(h.t.url).post('/api/dashboard-auth/password/login', {
      password: WRONG,
    })
    await api.post('/api/dashboard-auth/password/login', { password: PASSWORD })
    secrets.push(api.cookie ?? 'missing cookie')

    const totp: string = (await api.post('/api/dashboard-auth/totp/setup/start')).body.secret
    secrets.push(totp)
    const code = HOTP.generate({
      secret: Secret.fromBase32(totp),
      counter: Math.floor(Date.now() / 30_000),
    })
    await api.post('/api/dashboard-auth/totp/setup/confirm', { secret: totp, code: '000000' })
    expect(
      (await api.post('/api/dashboard-auth/totp/setup/confirm', { secret: totp, code })).status,
    ).toBe(200)

    const created = await api.post('/api/api-keys/', { name: 'secret-key' })
    secrets.push(created.body.key)
    const regenerated = await api.post(`/api/api-keys/${created.body.id}/regenerate`)
    secrets.push(regenerated.body.key)
    await api.put('/api/settings', {
      stickyThreadsEnabled: true,
      preferEarlierResetAccounts: false,
      apiKeyAuthEnabled: true,
    })
    for (const key of [regenerated.body.key, created.body.key, 'sk-clb-guessed-key-value']) {
      await fetch(`${h.t.url}/v1/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ model: 'gpt-5.5', input: 'hi' }),
      }).then((r) => r.text())
    }
    const { accessToken } = h.fake.tokens(account)
    secrets.push(accessToken)
    await fetch(`${h.t.url}/api/codex/usage`, {
      headers: {
        authorization: `Bearer ${accessToken}`,
        'chatgpt-account-id': account.chatgptAccountId,
      },
    }).then((r) => r.text())

    const row = await h.t.database.db
      .selectFrom('dashboard_settings')
      .select(['password_hash', 'totp_secret_enc'])
      .executeTakeFirstOrThrow()
    secrets.push(row.password_hash ?? 'missing hash', row.totp_secret_enc ?? 'missing totp')
    const keys = await h.t.database.db.selectFrom('api_keys').select('key_hash').execute()
    secrets.push(...keys.map((k) => k.key_hash))

    await keep(api.get('/api/settings'))
    await keep(api.get('/api/dashboard-auth/session'))
    await keep(api.get('/api/api-keys/'))
    await keep(api.get('/api/accounts'))
    await h.t.app.services.logWriter.flush()
  })
  afterAll(async () => h.close())

  it('the test produced traffic and logs worth checking', () => {
    expect(lines.length).toBeGreaterThan(20)
    expect(secrets.every((s) => s.length >= 16)).toBe(true)
  })

  it('no dashboard read answer holds a secret', () => {
    for (const body of bodies) for (const secret of secrets) expect(body).not.toContain(secret)
  })

  it('no log line holds a secret', () => {
    const text = lines.join('')
    for (const secret of secrets) expect(text).not.toContain(secret)
  })
})
