import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DashboardClient } from '../support/dashboard-client.js'
import type { FakeAccount } from '../support/fake-upstream.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'
import { connectWs, wsUrl } from '../support/ws-client.js'

const UPSTREAM = '/backend-api/codex/responses'
const MODEL = 'gpt-5.5'

// Issue 11 item 6: each refusal of a key's policy, on every transport that reserves.
describe('per-key policy at the proxy', () => {
  let h: ProxyHarness
  let api: DashboardClient
  let first: FakeAccount & { id: string }
  let second: FakeAccount & { id: string }

  async function keyWith(policy: Record<string, unknown>): Promise<string> {
    const res = await api.post('/api/api-keys/', { name: `k${Math.random()}`, ...policy })
    expect(res.status).toBe(200)
    return res.body.key as string
  }

  async function post(key: string, path: string, body: Record<string, unknown>) {
    const res = await fetch(`${h.t.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    const text = await res.text()
    return {
      status: res.status,
      headers: res.headers,
      body: text.startsWith('{') ? JSON.parse(text) : text,
    }
  }

  const upstreamCalls = () => h.fake.requestsTo(UPSTREAM).length

  beforeAll(async () => {
    h = await startProxyHarness()
    first = await h.addAccount({ email: 'first@example.com' })
    second = await h.addAccount({ email: 'second@example.com' })
    api = new DashboardClient(h.t.url)
    await h.requireApiKey()
  })
  afterAll(async () => h.close())

  it('refuses a reasoning effort the key does not allow on Responses, Codex, Chat and compact', async () => {
    const key = await keyWith({ allowedReasoningEfforts: ['low', 'medium'] })
    const before = upstreamCalls()
    const high = { model: MODEL, input: 'hi', reasoning: { effort: 'high' } }
    const refusals = [
      await post(key, '/v1/responses', high),
      await post(key, '/backend-api/codex/responses', { ...high, instructions: 'x', stream: true }),
      await post(key, '/v1/responses/compact', high),
      await post(key, '/v1/chat/completions', {
        model: MODEL,
        messages: [{ role: 'user', content: 'hi' }],
        reasoning_effort: 'high',
      }),
    ]
    for (const res of refusals) {
      expect(res.status).toBe(403)
      expect(res.body).toEqual({
        error: {
          message: "This API key does not allow reasoning effort 'high'. Allowed: low, medium.",
          type: 'permission_error',
          code: 'reasoning_effort_not_allowed',
          param: 'reasoning.effort',
          allowed: ['low', 'medium'],
        },
      })
    }
    expect(upstreamCalls()).toBe(before)
    // An allowed effort, and none at all, go through.
    expect(
      (await post(key, '/v1/responses', { ...high, reasoning: { effort: 'low' } })).status,
    ).toBe(200)
    expect((await post(key, '/v1/responses', { model: MODEL, input: 'hi' })).status).toBe(200)
  })

  it('refuses a service tier the key does not allow (priority), on Responses and Chat', async () => {
    const key = await keyWith({ allowedServiceTiers: ['default', 'flex'] })
    const before = upstreamCalls()
    const responses = await post(key, '/v1/responses', {
      model: MODEL,
      input: 'hi',
      service_tier: 'priority',
    })
    const chat = await post(key, '/v1/chat/completions', {
      model: MODEL,
      messages: [{ role: 'user', content: 'hi' }],
      service_tier: 'priority',
    })
    for (const res of [responses, chat]) {
      expect(res.status).toBe(403)
      expect(res.body.error).toMatchObject({
        code: 'service_tier_not_allowed',
        type: 'permission_error',
        param: 'service_tier',
        message: "This API key does not allow service tier 'priority'. Allowed: default, flex.",
      })
    }
    expect(upstreamCalls()).toBe(before)
    const flex = await post(key, '/v1/responses', {
      model: MODEL,
      input: 'hi',
      service_tier: 'flex',
    })
    expect(flex.status).toBe(200)
    expect(h.fake.requestsTo(UPSTREAM).at(-1)?.body).toMatchObject({ service_tier: 'flex' })
  })

  it('routes a key only to its accounts, and explains when none of them can serve', async () => {
    const key = await keyWith({ allowedAccountIds: [second.id] })
    const before = upstreamCalls()
    for (let i = 0; i < 4; i++) {
      expect((await post(key, '/v1/responses', { model: MODEL, input: `hi ${i}` })).status).toBe(
        200,
      )
    }
    const served = h.fake
      .requestsTo(UPSTREAM)
      .slice(before)
      .map((r) => r.account?.email)
    expect(served).toEqual(Array(4).fill(second.email))
    // Another key still uses both accounts.
    const open = await keyWith({})
    const start = upstreamCalls()
    for (let i = 0; i < 4; i++) await post(open, '/v1/responses', { model: MODEL, input: `o ${i}` })
    const openServed = new Set(
      h.fake
        .requestsTo(UPSTREAM)
        .slice(start)
        .map((r) => r.account?.email),
    )
    expect(openServed).toEqual(new Set([first.email, second.email]))

    expect((await api.post(`/api/accounts/${second.id}/pause`)).status).toBe(200)
    try {
      const refused = await post(key, '/v1/responses', { model: MODEL, input: 'hi' })
      expect(refused.status).toBe(503)
      expect(refused.body.error.code).toBe('no_accounts')
      expect(refused.body.error.message).toContain('1 account is not allowed for this API key')
      expect(refused.body.error.message).toContain('1 account is paused')
      const row = (await h.logs()).at(-1)
      expect(row).toMatchObject({ account_id: null, error_code: 'no_accounts' })
    } finally {
      await api.post(`/api/accounts/${second.id}/reactivate`)
    }
  })

  it('caps requests in flight per key: 429 key_concurrency_limit, and a slot comes back on disconnect', async () => {
    const key = await keyWith({ maxConcurrentRequests: 1 })
    h.fake.scriptDefault({ kind: 'stall', afterEvents: 2 })
    const hold = new AbortController()
    const held = await fetch(`${h.t.url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, input: 'hold', stream: true }),
      signal: hold.signal,
    })
    expect(held.status).toBe(200)
    const refused = await post(key, '/v1/responses', { model: MODEL, input: 'second' })
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toBe('1')
    expect(refused.body.error).toMatchObject({
      code: 'key_concurrency_limit',
      type: 'rate_limit_error',
      message: expect.stringContaining('1 request in flight'),
    })
    // Another key is not held up by this one's cap.
    h.fake.reset()
    expect(
      (await post(await keyWith({}), '/v1/responses', { model: MODEL, input: 'x' })).status,
    ).toBe(200)

    hold.abort()
    await h.fake.waitForAbort()
    let status = 0
    for (let i = 0; i < 40 && status !== 200; i++) {
      status = (await post(key, '/v1/responses', { model: MODEL, input: 'after' })).status
      if (status !== 200) await new Promise((r) => setTimeout(r, 50))
    }
    expect(status).toBe(200)
    // A finished request gives its slot back too: one after another never hits the cap.
    for (let i = 0; i < 3; i++) {
      expect((await post(key, '/v1/responses', { model: MODEL, input: `seq ${i}` })).status).toBe(
        200,
      )
    }
  })

  it('refuses over a WebSocket turn with a status-403 error frame and keeps the socket', async () => {
    const key = await keyWith({ allowedReasoningEfforts: ['low'], maxConcurrentRequests: 1 })
    const ws = await connectWs(wsUrl(h.t.url), { authorization: `Bearer ${key}` })
    const input = [{ role: 'user', content: [{ type: 'input_text', text: 'hi' }] }]
    const before = upstreamCalls()
    const frames = await ws.turn({ model: MODEL, input, reasoning: { effort: 'xhigh' } })
    expect(frames.at(-1)).toMatchObject({
      type: 'error',
      status: 403,
      error: { code: 'reasoning_effort_not_allowed', param: 'reasoning.effort' },
    })
    expect(upstreamCalls()).toBe(before)
    // The refused turn held no slot: the next turn of this cap-1 key is served.
    const ok = await ws.turn({ model: MODEL, input, reasoning: { effort: 'low' } })
    expect(ok.at(-1)).toMatchObject({ type: 'response.completed' })
    const again = await ws.turn({ model: MODEL, input })
    expect(again.at(-1)).toMatchObject({ type: 'response.completed' })
    await ws.close()
  })
})
