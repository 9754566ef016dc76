import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DashboardClient } from '../support/dashboard-client.js'
import { DEFAULT_USAGE, type WireUsage } from '../support/fake-upstream.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'

// API-key limits end to end over HTTP: client → proxy (guard, reservation) → fake upstream →
// settlement. Seed 002 §5.4–§5.7 and the concurrency bound of issue 4.
const PER_REQUEST = DEFAULT_USAGE.input_tokens + DEFAULT_USAGE.output_tokens // 49

interface Rule {
  limitType: 'total_tokens' | 'input_tokens' | 'output_tokens' | 'cost_usd'
  limitWindow: 'daily' | 'weekly' | 'monthly'
  maxValue: number
  modelFilter?: string | null
}

describe('proxy: API-key limits over HTTP', () => {
  let h: ProxyHarness
  let api: DashboardClient

  beforeEach(async () => {
    h = await startProxyHarness()
    await h.addAccount({ email: 'limits@example.com' })
    api = new DashboardClient(h.t.url)
  })
  afterEach(async () => h.close())

  async function keyWith(limits: Rule[]) {
    const created = await api.post('/api/api-keys/', { name: 'limited', limits })
    expect(created.status).toBe(200)
    const enabled = await api.put('/api/settings', {
      stickyThreadsEnabled: false,
      preferEarlierResetAccounts: false,
      apiKeyAuthEnabled: true,
    })
    expect(enabled.status).toBe(200)
    return created.body as { id: string; key: string; limits: Array<{ resetAt: string }> }
  }

  type Route =
    | '/v1/responses'
    | '/v1/chat/completions'
    | '/v1/responses/compact'
    | '/backend-api/codex/responses'
    | '/backend-api/codex/responses/compact'

  function call(key: string, model: string, route: Route = '/v1/responses') {
    const body: Record<string, unknown> =
      route === '/v1/chat/completions'
        ? { model, messages: [{ role: 'user', content: 'hi' }] }
        : route === '/backend-api/codex/responses'
          ? { model, input: 'hi', instructions: 'x', stream: true }
          : { model, input: 'hi', instructions: 'x' }
    return fetch(`${h.t.url}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify(body),
    })
  }
  const list = (key: string, path = '/v1/models') =>
    fetch(`${h.t.url}${path}`, { headers: { authorization: `Bearer ${key}` } })

  const limitState = async (id: string) =>
    (await api.get('/api/api-keys/')).body.find((k: { id: string }) => k.id === id)
      .limits as Array<{
      currentValue: number
      maxValue: number
      resetAt: string
    }>
  const upstreamCalls = () =>
    h.fake.requestsTo('/backend-api/codex/responses').length +
    h.fake.requestsTo('/backend-api/codex/responses/compact').length

  /** The 429 names the limit, and Retry-After says how long until its window resets. */
  async function expectLimited(res: Response, message: string, resetAt: string | undefined) {
    expect(res.status).toBe(429)
    expect(await res.json()).toEqual({
      error: { message, type: 'rate_limit_error', code: 'rate_limit_exceeded' },
    })
    const expected = (Date.parse(resetAt!) - Date.now()) / 1000
    expect(Math.abs(Number(res.headers.get('retry-after')) - expected)).toBeLessThanOrEqual(5)
  }

  it('a spent model-scoped limit blocks only its model; listing models still works (§5.4–§5.6)', async () => {
    const key = await keyWith([
      { limitType: 'total_tokens', limitWindow: 'daily', maxValue: 40, modelFilter: 'gpt-5.5' },
    ])
    const first = await call(key.key, 'gpt-5.5')
    expect(first.status).toBe(200)
    await first.text()
    const [spent] = await limitState(key.id)
    expect(spent?.currentValue).toBe(PER_REQUEST)

    const before = upstreamCalls()
    // §5.5: the limited model is refused, naming the limit, its model and when it resets.
    await expectLimited(
      await call(key.key, 'gpt-5.5'),
      `API key total_tokens daily limit exceeded for model gpt-5.5. Usage resets at ${spent?.resetAt}.`,
      spent?.resetAt,
    )
    expect(upstreamCalls()).toBe(before)

    // §5.4: any other model is not affected, on either surface.
    const other = await call(key.key, 'gpt-5-codex')
    expect(other.status).toBe(200)
    await other.text()
    const codex = await call(key.key, 'gpt-5-codex', '/backend-api/codex/responses')
    expect(codex.status).toBe(200)
    expect(await codex.text()).toContain('response.completed')

    // §5.6: listing models is allowed.
    for (const path of ['/v1/models', '/backend-api/codex/models']) {
      expect((await list(key.key, path)).status, path).toBe(200)
    }
    expect((await limitState(key.id))[0]?.currentValue).toBe(PER_REQUEST)
  })

  it('a spent global limit blocks every model on every proxy route (§5.7); listing stays open', async () => {
    const key = await keyWith([{ limitType: 'input_tokens', limitWindow: 'weekly', maxValue: 42 }])
    const first = await call(key.key, 'gpt-5.5')
    expect(first.status).toBe(200)
    await first.text()
    const [spent] = await limitState(key.id)
    expect(spent?.currentValue).toBe(DEFAULT_USAGE.input_tokens)

    const before = upstreamCalls()
    const message = `API key input_tokens weekly limit exceeded. Usage resets at ${spent?.resetAt}.`
    const routes: Route[] = [
      '/v1/responses',
      '/v1/chat/completions',
      '/v1/responses/compact',
      '/backend-api/codex/responses',
      '/backend-api/codex/responses/compact',
    ]
    for (const route of routes) {
      for (const model of ['gpt-5.5', 'gpt-5-codex']) {
        await expectLimited(await call(key.key, model, route), message, spent?.resetAt)
      }
    }
    expect(upstreamCalls()).toBe(before)
    // The rule: listing models reserves nothing and is never blocked by a limit.
    expect((await list(key.key)).status).toBe(200)
  })

  it('a request the client abandons gives its reservation back, exactly once', async () => {
    const key = await keyWith([{ limitType: 'total_tokens', limitWindow: 'daily', maxValue: 1000 }])
    h.fake.scriptDefault({ kind: 'ok', eventDelayMs: 400 })
    for (const stream of [true, false]) {
      const abort = new AbortController()
      const res = fetch(`${h.t.url}/v1/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key.key}` },
        body: JSON.stringify({ model: 'gpt-5.5', input: 'hi', stream }),
        signal: abort.signal,
      })
      if (stream) {
        // Committed and streaming: leave after the first bytes.
        const reader = (await res).body!.getReader()
        await reader.read()
        abort.abort()
        await expect(reader.read()).rejects.toThrow()
      } else {
        // Still waiting for the upstream to finish: leave before any answer.
        await h.fake.waitForRequest('/backend-api/codex/responses', { count: 2 })
        abort.abort()
        await expect(res).rejects.toThrow()
      }
      await expect
        .poll(async () => {
          const rows = await h.t.database.db
            .selectFrom('api_key_usage_reservations')
            .select('status')
            .where('api_key_id', '=', key.id)
            .execute()
          return rows.map((r) => r.status)
        })
        .toEqual(stream ? ['released'] : ['released', 'released'])
    }
    expect((await limitState(key.id))[0]?.currentValue).toBe(0)
  })

  /**
   * Fires 50 requests at once and checks the books afterwards: every answer is 200 or a 429 from
   * the key's limit, the counter holds exactly the settled usage of the 200s, that never exceeds the
   * max, nothing is left reserved, and every keyed request log names the key.
   */
  async function fireConcurrently(key: { id: string; key: string }, usedPerRequest: number) {
    const responses = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const res = await call(key.key, 'gpt-5.5')
        return { status: res.status, body: await res.text() }
      }),
    )
    const ok = responses.filter((r) => r.status === 200)
    const refused = responses.filter((r) => r.status !== 200)
    for (const r of refused) {
      expect(r.status).toBe(429)
      expect(JSON.parse(r.body)).toMatchObject({ error: { code: 'rate_limit_exceeded' } })
    }
    const [limit] = await limitState(key.id)
    expect(limit?.currentValue).toBe(ok.length * usedPerRequest)
    expect(limit?.currentValue).toBeLessThanOrEqual(limit?.maxValue ?? 0)

    const reservations = await h.t.database.db
      .selectFrom('api_key_usage_reservations')
      .select('status')
      .where('api_key_id', '=', key.id)
      .execute()
    expect(reservations.filter((r) => r.status === 'finalized')).toHaveLength(ok.length)
    expect(reservations.filter((r) => r.status === 'reserved' || r.status === 'settling')).toEqual(
      [],
    )
    const logs = (await h.logs()).filter((row) => row['status'] === 'success')
    expect(logs).toHaveLength(ok.length)
    for (const row of logs) expect(row['api_key_id']).toBe(key.id)
    return ok.length
  }

  it('50 concurrent requests never spend past a budget that admits 10 reservation-sized requests', async () => {
    // Each request reserves 8192 tokens up front and really uses exactly that much, while the
    // upstream is slow enough for the requests to overlap: at most 10 can ever hold a reservation.
    const reservationSized: WireUsage = {
      input_tokens: 8000,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 192,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 8192,
    }
    h.fake.scriptDefault({ kind: 'ok', usage: reservationSized, eventDelayMs: 20 })
    const key = await keyWith([
      { limitType: 'total_tokens', limitWindow: 'daily', maxValue: 10 * 8192 },
    ])
    const admitted = await fireConcurrently(key, 8192)
    expect(admitted).toBeGreaterThanOrEqual(1)
    expect(admitted).toBeLessThanOrEqual(10)
  })

  it('50 concurrent small requests against a budget of 10 requests: settled usage stays within it', async () => {
    // A reservation takes min(room, 8192), so one request holds the whole room until it settles
    // with its real usage; the next then takes what is left. The sum never passes the max.
    const key = await keyWith([
      { limitType: 'total_tokens', limitWindow: 'daily', maxValue: 10 * PER_REQUEST },
    ])
    const admitted = await fireConcurrently(key, PER_REQUEST)
    expect(admitted).toBeGreaterThanOrEqual(1)
    expect(admitted).toBeLessThanOrEqual(10)
  })
})
