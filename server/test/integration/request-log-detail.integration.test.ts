import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DashboardClient } from '../support/dashboard-client.js'
import { dialects } from '../support/dialects.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'
import { connectWs, wsUrl } from '../support/ws-client.js'

const DIALECTS = await dialects()

const LEAKED_KEY = 'sk-proj-Lk9ZfakeUpstreamKey0123456789'
const LEAKED_JWT =
  'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhY2NvdW50LWEiLCJleHAiOjE3OTk5OTk5OTl9.ZmFrZS1zaWduYXR1cmU'

/** A 429 whose body echoes a key and a token, as a misbehaving upstream or proxy might. */
const leakyRateLimit = {
  kind: 'http-error' as const,
  status: 429,
  headers: { 'retry-after': '30' },
  body: {
    error: {
      type: 'rate_limit_exceeded',
      code: 'rate_limit_exceeded',
      message: `Rate limit reached for key ${LEAKED_KEY}`,
      access_token: LEAKED_JWT,
      debug: `Authorization: Bearer ${LEAKED_JWT}`,
    },
  },
}

async function harnessDatabase(dialect: (typeof DIALECTS)[number]) {
  return dialect.name === 'sqlite' ? {} : { database: await dialect.make('') }
}

describe.each(DIALECTS)('GET /api/request-logs/:id ($name)', (dialect) => {
  let h: ProxyHarness
  let api: DashboardClient
  beforeEach(async () => {
    // fill_first with A at position 1: A is always tried first, so the chain is A → B.
    h = await startProxyHarness({
      ...(await harnessDatabase(dialect)),
      env: { ROUTING_STRATEGY: 'fill_first' },
    })
    api = new DashboardClient(h.t.url)
  })
  afterEach(async () => h.close())

  it('tells a failover as one story: A 429 (its body redacted) then B served, in order', async () => {
    const a = await h.addAccount({ email: 'a@example.com' })
    const b = await h.addAccount({ email: 'b@example.com' })
    expect(
      (await api.patch(`/api/accounts/${a.id}`, { routeOrder: 1, alias: 'Laptop A' })).status,
    ).toBe(200)
    expect((await api.patch(`/api/accounts/${b.id}`, { routeOrder: 2 })).status).toBe(200)
    h.fake.script(a, leakyRateLimit)
    h.fake.script(b, { kind: 'ok', text: 'served by b' })

    const res = await h.sdk().responses.create({ model: 'gpt-5.5', input: 'x' })
    expect(res.output_text).toBe('served by b')
    await h.logs()

    const list = await api.get('/api/request-logs?limit=10')
    expect(list.status).toBe(200)
    const served = list.body.requests.find((r: { status: string }) => r.status === 'ok')
    expect(served.id).toEqual(expect.any(Number))

    const detail = await api.get(`/api/request-logs/${served.id}`)
    expect(detail.status).toBe(200)
    expect(detail.body.attempt).toMatchObject({
      id: served.id,
      accountId: b.id,
      accountEmail: 'b@example.com',
      status: 'ok',
      httpStatus: 200,
      transport: 'http',
      endpoint: '/v1/responses',
      upstreamErrorBody: null,
    })
    const chain = detail.body.chain as Array<Record<string, unknown>>
    expect(chain.map((c) => [c['accountId'], c['status'], c['httpStatus']])).toEqual([
      [a.id, 'rate_limit', 429],
      [b.id, 'ok', 200],
    ])
    expect(chain[1]!['id']).toBe(served.id)
    expect(chain.every((c) => c['requestId'] === served.requestId)).toBe(true)
    const first = chain[0]!
    expect(first).toMatchObject({
      accountAlias: 'Laptop A',
      errorCode: 'rate_limit_exceeded',
      transport: 'http',
    })
    expect(first['errorMessage']).not.toContain(LEAKED_KEY)
    const body = String(first['upstreamErrorBody'])
    expect(body).toContain('rate_limit_exceeded')
    expect(body).toContain('[redacted]')
    expect(body).not.toContain(LEAKED_KEY)
    expect(body).not.toContain('eyJ')

    // The failed attempt's own detail has the same chain.
    const other = await api.get(`/api/request-logs/${String(first['id'])}`)
    expect(other.body.attempt.status).toBe('rate_limit')
    expect(other.body.chain.map((c: { id: number }) => c.id)).toEqual(chain.map((c) => c['id']))
  })

  it('keeps what the upstream said on SSE, compact and WebSocket failures, redacted', async () => {
    const a = await h.addAccount({ email: 'a@example.com' })
    const said = `Input rejected near ${LEAKED_KEY} (token ${LEAKED_JWT})`
    // Failures that are the request's own (no failover, the account stays usable): an in-band
    // failure event on SSE, then a 400 (an error frame over the upstream WebSocket).
    h.fake.script(
      a,
      { kind: 'first-event-failed', code: 'context_length_exceeded', message: said },
      {
        kind: 'http-error',
        status: 400,
        body: { error: { code: 'bad_sse_input', message: said } },
      },
    )
    h.fake.scriptCompact(a, {
      kind: 'http-error',
      status: 400,
      body: { error: { code: 'bad_compact_input', message: said } },
    })
    const post = (path: string, body: Record<string, unknown>) =>
      fetch(`${h.t.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-5.5', input: 'x', ...body }),
      }).then((r) => r.text())
    await post('/v1/responses', { stream: true })
    await post('/backend-api/codex/responses/compact', {})
    const ws = await connectWs(wsUrl(h.t.url), {})
    try {
      const frames = await ws.turn({ model: 'gpt-5.5', input: 'x' })
      expect(frames.at(-1)?.['type']).toBe('error')
    } finally {
      void ws.close()
    }
    await h.logs()

    const list = await api.get('/api/request-logs?limit=10')
    const rows = list.body.requests as Array<{ id: number; endpoint: string }>
    const bodies = new Map<string, string>()
    for (const row of rows) {
      const detail = (await api.get(`/api/request-logs/${row.id}`)).body.attempt
      bodies.set(`${detail.transport} ${detail.endpoint}`, String(detail.upstreamErrorBody))
    }
    const expected: Array<[string, string]> = [
      ['http /v1/responses', 'context_length_exceeded'],
      ['http /backend-api/codex/responses/compact', 'bad_compact_input'],
      ['websocket /backend-api/codex/responses', 'bad_sse_input'],
    ]
    for (const [where, code] of expected) {
      const body = bodies.get(where)
      expect(body, where).toContain(code)
      expect(body, where).toContain('[redacted]')
      expect(body, where).not.toContain(LEAKED_KEY)
      expect(body, where).not.toContain('eyJ')
    }
  })

  it('answers 404 for an unknown id and 422 naming `id` for one that is not a whole number', async () => {
    const missing = await api.get('/api/request-logs/987654')
    expect(missing.status).toBe(404)
    expect(missing.body.error).toMatchObject({ code: 'not_found' })
    for (const bad of ['abc', '1.5', '-1', '1e3']) {
      const res = await api.get(`/api/request-logs/${bad}`)
      expect(res.status).toBe(422)
      expect(res.body.error).toMatchObject({ code: 'validation_error' })
      expect(res.body.error.message).toContain('id')
    }
  })
})
