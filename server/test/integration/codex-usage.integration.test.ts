import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'

describe('GET /api/codex/usage', () => {
  let h: ProxyHarness
  let token: string
  let workspace: string
  beforeAll(async () => {
    h = await startProxyHarness()
    const a = await h.addAccount({ email: 'a@example.com', planType: 'plus' })
    const b = await h.addAccount({ email: 'b@example.com', planType: 'plus' })
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
})
