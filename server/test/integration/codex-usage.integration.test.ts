import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DashboardClient } from '../support/dashboard-client.js'
import type { FakeAccount } from '../support/fake-upstream.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'

describe('GET /api/codex/usage', () => {
  let h: ProxyHarness
  let token: string
  let workspace: string
  let second: FakeAccount & { id: string }
  beforeAll(async () => {
    h = await startProxyHarness()
    const a = await h.addAccount({ email: 'a@example.com', planType: 'plus' })
    const b = await h.addAccount({ email: 'b@example.com', planType: 'plus' })
    second = b
    h.fake.setUsage(a, { primaryUsedPercent: 10, secondaryUsedPercent: 20 })
    h.fake.setUsage(b, { primaryUsedPercent: 30, secondaryUsedPercent: 40 })
    await h.t.app.services.usage.refreshAll()
    token = h.fake.tokens(a).accessToken
    workspace = a.chatgptAccountId
  })
  afterAll(async () => h.close())

  const get = (headers: Record<string, string>, path = '/api/codex/usage') =>
    fetch(`${h.t.url}${path}`, { headers })

  it('answers a registered Codex caller with the pooled usage in snake_case', async () => {
    for (const path of ['/api/codex/usage', '/api/codex/usage/']) {
      const res = await get(
        { authorization: `Bearer ${token}`, 'chatgpt-account-id': workspace },
        path,
      )
      expect(res.status).toBe(200)
      const body = (await res.json()) as Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any -- asserting a wire shape
      expect(body['plan_type']).toBe('plus')
      expect(body['rate_limit']).toMatchObject({
        allowed: true,
        limit_reached: false,
        primary_window: { used_percent: 20, limit_window_seconds: 18000 },
        secondary_window: { used_percent: 30, limit_window_seconds: 604800 },
      })
    }
  })

  it.each([
    [{}, 'Missing ChatGPT token'],
    [{ authorization: 'Bearer x' }, 'Missing chatgpt-account-id'],
    [{ authorization: 'Bearer x', 'chatgpt-account-id': 'ws-unknown' }, 'Unknown or inactive'],
  ])('refuses %j with 401 in the OpenAI envelope', async (headers, message) => {
    const before = h.fake.requestsTo('/backend-api/wham/usage').length
    const res = await get(headers as Record<string, string>)
    expect(res.status).toBe(401)
    const body = (await res.json()) as { error: { code: string; type: string; message: string } }
    expect(body.error).toMatchObject({ code: 'invalid_api_key', type: 'authentication_error' })
    expect(body.error.message).toContain(message)
    // Refused before any upstream call.
    expect(h.fake.requestsTo('/backend-api/wham/usage').length).toBe(before)
  })

  it('refuses a token the upstream rejects', async () => {
    const res = await get({
      authorization: 'Bearer not-a-real-token',
      'chatgpt-account-id': workspace,
    })
    expect(res.status).toBe(401)
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /Invalid ChatGPT token/,
    )
  })

  it('is not opened by a dashboard session alone', async () => {
    const res = await get({ cookie: 'codex_lb_dashboard_session=whatever' })
    expect(res.status).toBe(401)
  })

  it('maps the upstream check: 429 → 429, other failures → 503; a paused account is refused', async () => {
    const caller = {
      authorization: `Bearer ${h.fake.tokens(second).accessToken}`,
      'chatgpt-account-id': second.chatgptAccountId,
    }
    try {
      h.fake.setUsage(second, { status: 429, body: { error: { message: 'slow down' } } })
      const limited = await get(caller)
      expect(limited.status).toBe(429)
      expect(((await limited.json()) as { error: unknown }).error).toMatchObject({
        code: 'rate_limit_exceeded',
        type: 'rate_limit_error',
      })
      h.fake.setUsage(second, { status: 500, body: { detail: 'boom' } })
      const down = await get(caller)
      expect(down.status).toBe(503)
      expect(((await down.json()) as { error: unknown }).error).toMatchObject({
        code: 'upstream_error',
        type: 'server_error',
      })

      h.fake.setUsage(second, {})
      expect((await get(caller)).status).toBe(200)
      const api = new DashboardClient(h.t.url)
      expect((await api.post(`/api/accounts/${second.id}/pause`)).status).toBe(200)
      const before = h.fake.requestsTo('/backend-api/wham/usage').length
      const paused = await get(caller)
      expect(paused.status).toBe(401)
      expect(((await paused.json()) as { error: { message: string } }).error.message).toContain(
        'Unknown or inactive',
      )
      expect(h.fake.requestsTo('/backend-api/wham/usage').length).toBe(before)
      expect((await api.post(`/api/accounts/${second.id}/reactivate`)).status).toBe(200)
    } finally {
      h.fake.setUsage(second, { primaryUsedPercent: 30, secondaryUsedPercent: 40 })
    }
  })

  describe('in password mode (seed 002 §3)', () => {
    let admin: DashboardClient
    beforeAll(async () => {
      admin = new DashboardClient(h.t.url)
      const setup = await admin.post('/api/dashboard-auth/password/setup', {
        password: 'dashboard password',
      })
      expect(setup.status).toBe(200)
      expect(admin.cookie).toBeDefined()
      // The session is real: it opens the dashboard.
      expect((await admin.get('/api/settings')).status).toBe(200)
    })

    it('§3.1 a valid dashboard session without a Codex caller identity → 401', async () => {
      for (const path of ['/api/codex/usage', '/api/codex/usage/']) {
        const res = await admin.get(path)
        expect(res.status, path).toBe(401)
        expect(res.body.error).toMatchObject({
          code: 'invalid_api_key',
          type: 'authentication_error',
          message: 'Missing ChatGPT token in Authorization header',
        })
      }
    })

    it('§3.2 logged out, valid bearer + registered chatgpt-account-id → 200', async () => {
      const before = h.fake.requestsTo('/backend-api/wham/usage').length
      const res = await get({ authorization: `Bearer ${token}`, 'chatgpt-account-id': workspace })
      expect(res.status).toBe(200)
      expect(((await res.json()) as { plan_type: string }).plan_type).toBe('plus')
      // Validated against the upstream usage endpoint with the caller's own token.
      const calls = h.fake.requestsTo('/backend-api/wham/usage').slice(before)
      expect(calls).toHaveLength(1)
      expect(calls[0]?.headers['authorization']).toBe(`Bearer ${token}`)
      expect(calls[0]?.headers['chatgpt-account-id']).toBe(workspace)
    })

    it('§3.3 logged out, unknown chatgpt-account-id → 401 before any upstream call', async () => {
      const before = h.fake.requestsTo('/backend-api/wham/usage').length
      const res = await get({ authorization: `Bearer ${token}`, 'chatgpt-account-id': 'ws-nope' })
      expect(res.status).toBe(401)
      expect(h.fake.requestsTo('/backend-api/wham/usage').length).toBe(before)
    })

    it('a dashboard session plus a valid identity works; the cookie is irrelevant', async () => {
      const res = await admin.get('/api/codex/usage', {
        authorization: `Bearer ${token}`,
        'chatgpt-account-id': workspace,
      })
      expect(res.status).toBe(200)
    })
  })
})
