import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DashboardClient } from '../support/dashboard-client.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'
import { connectWs, refusedUpgrade, wsUrl } from '../support/ws-client.js'

const MODEL = 'gpt-5.5'
const input = [{ role: 'user', content: [{ type: 'input_text', text: 'hi' }] }]

describe('WebSocket transport: the upgrade and API keys', () => {
  let h: ProxyHarness
  let key: { id: string; key: string }
  let api: DashboardClient

  beforeAll(async () => {
    h = await startProxyHarness()
    await h.addAccount()
    api = new DashboardClient(h.t.url)
    key = await h.requireApiKey([
      { limitType: 'total_tokens', limitWindow: 'daily', maxValue: 100_000 },
    ])
  })
  afterAll(async () => h.close())

  it('refuses an upgrade without a valid key with the same 401 as HTTP', async () => {
    for (const headers of [{}, { authorization: 'Bearer sk-clb-wrong' }]) {
      const refused = await refusedUpgrade(wsUrl(h.t.url), headers)
      expect(refused.status).toBe(401)
      expect(refused.body).toMatchObject({ error: { code: 'invalid_api_key' } })
    }
  })

  it('serves /v1/responses and /backend-api/codex/responses with a key, settling each turn', async () => {
    for (const path of ['/v1/responses', '/backend-api/codex/responses']) {
      const ws = await connectWs(wsUrl(h.t.url, path), { authorization: `Bearer ${key.key}` })
      const frames = await ws.turn({ model: MODEL, input })
      expect(frames.at(-1)).toMatchObject({ type: 'response.completed' })
      await ws.close()
    }
    const keys = (await api.get('/api/api-keys/')).body as Array<Record<string, unknown>>
    const mine = keys.find((k) => k['id'] === key.id) as { limits: Array<{ currentValue: number }> }
    expect(mine.limits[0]!.currentValue).toBe(2 * (42 + 7))
    const rows = await h.logs()
    expect(rows.slice(-2).map((r) => [r['endpoint'], r['api_key_id']])).toEqual([
      ['/v1/responses', key.id],
      ['/backend-api/codex/responses', key.id],
    ])
  })

  it('negotiates permessage-deflate with the client and answers x-codex-turn-state', async () => {
    const ws = await connectWs(
      wsUrl(h.t.url),
      { authorization: `Bearer ${key.key}`, 'x-codex-turn-state': 'turn_abc' },
      { perMessageDeflate: true },
    )
    expect(ws.upgradeHeaders['sec-websocket-extensions']).toMatch(/permessage-deflate/)
    expect(ws.upgradeHeaders['x-codex-turn-state']).toBe('turn_abc')
    expect((await ws.turn({ model: MODEL, input })).at(-1)).toMatchObject({
      type: 'response.completed',
    })
    await ws.close()
    const fresh = await connectWs(wsUrl(h.t.url), { authorization: `Bearer ${key.key}` })
    expect(fresh.upgradeHeaders['x-codex-turn-state']).toMatch(/^turn_[0-9a-f]{24}$/)
    await fresh.close()
  })
})

describe('WebSocket transport: lifetime', () => {
  let h: ProxyHarness
  beforeAll(async () => {
    h = await startProxyHarness({
      env: { WEBSOCKET_IDLE_TIMEOUT_SECONDS: '0.3', WEBSOCKET_MAX_FRAME_BYTES: '2048' },
    })
    await h.addAccount()
  })
  afterAll(async () => h.close())

  it('closes a socket idle with no turn with 1001, but not while a turn runs', async () => {
    const ws = await connectWs(wsUrl(h.t.url), {})
    h.fake.scriptDefault({ kind: 'slow-first-byte', ms: 500 })
    const frames = await ws.turn({ model: MODEL, input })
    expect(frames.at(-1)).toMatchObject({ type: 'response.completed' })
    h.fake.reset()
    expect(await ws.closed).toMatchObject({ code: 1001 })
  })

  it('answers a frame over the cap with status 400 payload_too_large, never 413', async () => {
    const ws = await connectWs(wsUrl(h.t.url), {})
    ws.send({ type: 'response.create', model: MODEL, input: 'x'.repeat(4096) })
    expect(await ws.next()).toMatchObject({
      type: 'error',
      status: 400,
      error: { code: 'payload_too_large' },
    })
    expect((await ws.turn({ model: MODEL, input })).at(-1)).toMatchObject({
      type: 'response.completed',
    })
    await ws.close()
  })

  it('on shutdown lets the running turn finish, then closes with 1012', async () => {
    const own = await startProxyHarness()
    await own.addAccount()
    const ws = await connectWs(wsUrl(own.t.url), {})
    const idle = await connectWs(wsUrl(own.t.url), {})
    own.fake.scriptDefault({ kind: 'ok', eventDelayMs: 40 })
    ws.send({ type: 'response.create', model: MODEL, input })
    await ws.next()
    const closing = own.close()
    expect(await idle.closed).toMatchObject({ code: 1012 })
    const frames = await ws.readTurn(5000)
    expect(frames.at(-1)).toMatchObject({ type: 'response.completed' })
    expect(await ws.closed).toMatchObject({ code: 1012 })
    await closing
  })
})
