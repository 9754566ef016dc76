import { afterEach, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config/index.js'
import { startTestApp, type TestApp } from '../support/test-app.js'

// Allowlists of client networks for the proxy and for the dashboard, judged on the address that
// CODEX_LB_TRUSTED_PROXIES yields (tests connect from 127.0.0.1).

let t: TestApp | undefined
afterEach(async () => {
  await t?.close()
  t = undefined
})

async function call(path: string, init: RequestInit = {}) {
  const res = await fetch(`${t!.url}${path}`, init)
  const text = await res.text()
  return { status: res.status, text, json: () => JSON.parse(text) as Record<string, unknown> }
}

const responses = (headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify({ model: 'gpt-5.5', input: 'hi' }),
})

describe('client network allowlists', () => {
  it('refuses the proxy to a network outside its list, in the OpenAI envelope', async () => {
    t = await startTestApp({ env: { PROXY_ALLOWED_NETWORKS: '10.0.0.0/8, fd00::/8' } })
    for (const path of ['/v1/responses', '/backend-api/codex/responses']) {
      const res = await call(path, responses())
      expect(res.status).toBe(403)
      expect(res.json()).toEqual({
        error: {
          message: 'Your network is not allowed to use the proxy',
          type: 'permission_error',
          code: 'network_not_allowed',
        },
      })
    }
    expect((await call('/v1/models')).status).toBe(403)
    // The dashboard and the probes are not part of the proxy list.
    expect((await call('/api/settings')).status).toBe(200)
    expect((await call('/health/live')).status).toBe(200)
  })

  it('refuses the dashboard (API and pages) to a network outside its list', async () => {
    t = await startTestApp({ env: { DASHBOARD_ALLOWED_NETWORKS: '192.168.0.0/16' } })
    const api = await call('/api/settings')
    expect(api.status).toBe(403)
    expect(api.json()).toEqual({
      error: {
        code: 'network_not_allowed',
        message: 'Your network is not allowed to use the dashboard',
      },
    })
    expect((await call('/api/dashboard-auth/session')).status).toBe(403)
    expect((await call('/')).status).toBe(403)
    expect((await call('/health/ready')).status).toBe(200)
    expect((await call('/v1/responses', { method: 'POST' })).status).not.toBe(403)
  })

  it('lets a loopback client in when its network is listed', async () => {
    t = await startTestApp({ env: { DASHBOARD_ALLOWED_NETWORKS: '10.0.0.0/8, 127.0.0.1' } })
    expect((await call('/api/settings')).status).toBe(200)
  })

  it('believes X-Forwarded-For only from a trusted proxy', async () => {
    const forwarded = { 'x-forwarded-for': '10.1.2.3' }
    t = await startTestApp({ env: { DASHBOARD_ALLOWED_NETWORKS: '10.1.0.0/16' } })
    expect((await call('/api/settings', { headers: forwarded })).status).toBe(403)
    await t.close()
    t = await startTestApp({
      env: { DASHBOARD_ALLOWED_NETWORKS: '10.1.0.0/16', TRUSTED_PROXIES: '127.0.0.1/32' },
    })
    expect((await call('/api/settings', { headers: forwarded })).status).toBe(200)
    const outside = { 'x-forwarded-for': '10.2.0.1' }
    expect((await call('/api/settings', { headers: outside })).status).toBe(403)
  })

  it('names the variable when a list holds something that is not a network', () => {
    for (const bad of ['10.0.0.0/33', 'example.com', '10.0.0.1/8/2']) {
      expect(() => loadConfig({ CODEX_LB_PROXY_ALLOWED_NETWORKS: bad })).toThrow(ConfigError)
      expect(() => loadConfig({ CODEX_LB_DASHBOARD_ALLOWED_NETWORKS: bad })).toThrow(
        /CODEX_LB_DASHBOARD_ALLOWED_NETWORKS: .*not an IP address or CIDR range/,
      )
    }
  })
})
