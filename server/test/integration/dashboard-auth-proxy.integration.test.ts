import { afterEach, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config/index.js'
import { DashboardClient } from '../support/dashboard-client.js'
import { startTestApp, type TestApp } from '../support/test-app.js'

// An authenticating reverse proxy (Authelia, oauth2-proxy) in front of the dashboard: its user
// header opens the dashboard, but only on connections that come from a trusted proxy.

let t: TestApp | undefined
afterEach(async () => {
  await t?.close()
  t = undefined
})

async function lockedApp(trustedProxies: string) {
  t = await startTestApp({
    env: { TRUSTED_PROXIES: trustedProxies, DASHBOARD_AUTH_PROXY_HEADER: 'Remote-User' },
  })
  const setup = await new DashboardClient(t.url).post('/api/dashboard-auth/password/setup', {
    password: 'correct horse battery staple',
  })
  expect(setup.status).toBe(200)
  return new DashboardClient(t.url)
}

describe('dashboard behind an authenticating proxy', () => {
  it('opens the dashboard to the user the trusted proxy names', async () => {
    const api = await lockedApp('127.0.0.1/32')
    expect((await api.get('/api/settings')).status).toBe(401)
    const asAlice = { 'remote-user': 'alice' }
    expect((await api.get('/api/settings', asAlice)).status).toBe(200)
    const session = await api.get('/api/dashboard-auth/session', asAlice)
    expect(session.body).toMatchObject({ authenticated: true })
    expect((await api.get('/api/dashboard-auth/session')).body).toMatchObject({
      authenticated: false,
    })
    expect((await api.get('/api/settings', { 'remote-user': '' })).status).toBe(401)
  })

  it('ignores the header from a peer that is not a trusted proxy', async () => {
    const api = await lockedApp('10.0.0.0/8')
    const forged = { 'remote-user': 'mallory', 'x-forwarded-for': '10.0.0.5' }
    expect((await api.get('/api/settings', forged)).status).toBe(401)
    expect((await api.get('/api/dashboard-auth/session', forged)).body).toMatchObject({
      authenticated: false,
    })
  })

  it('refuses to start without an explicit list of proxies to believe', () => {
    const header = { CODEX_LB_DASHBOARD_AUTH_PROXY_HEADER: 'Remote-User' }
    expect(() => loadConfig(header)).toThrow(ConfigError)
    expect(() => loadConfig({ ...header, CODEX_LB_TRUSTED_PROXIES: 'true' })).toThrow(
      /DASHBOARD_AUTH_PROXY_HEADER: requires CODEX_LB_TRUSTED_PROXIES/,
    )
    expect(() => loadConfig({ ...header, CODEX_LB_TRUSTED_PROXIES: '2' })).toThrow(ConfigError)
    expect(() => loadConfig({ ...header, CODEX_LB_TRUSTED_PROXIES: 'nonsense' })).toThrow(
      /not an IP address or CIDR range/,
    )
    const ok = loadConfig({ ...header, CODEX_LB_TRUSTED_PROXIES: 'loopback, 10.0.0.0/8' })
    expect(ok.dashboardAuthProxyHeader).toBe('Remote-User')
  })
})
