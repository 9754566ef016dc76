import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  connectionLimitReached,
  previousResponseNotFound,
  rateLimitsEvent,
  usageLimitReached,
} from '../support/fake-upstream.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'
import { connectWs, type WsTestClient, wsUrl } from '../support/ws-client.js'

const MODEL = 'gpt-5.5'
type Frame = Record<string, unknown>
const user = (text: string) => ({ role: 'user', content: [{ type: 'input_text', text }] })
const reasoning = { type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: 'opaque' }
const last = (frames: Frame[]) => frames[frames.length - 1]!
const idOf = (frames: Frame[]) => (last(frames)['response'] as Record<string, unknown>)['id']

describe('WebSocket transport over an upstream WebSocket', () => {
  let h: ProxyHarness
  let a: Awaited<ReturnType<ProxyHarness['addAccount']>>
  let b: Awaited<ReturnType<ProxyHarness['addAccount']>>
  let ws: WsTestClient
  const connect = () =>
    connectWs(wsUrl(h.t.url), {
      session_id: 'thread-1',
      'openai-beta': 'responses_websockets=2026-02-06',
    })

  // A fresh pool per test: several tests use an account up.
  beforeEach(async () => {
    h = await startProxyHarness({ env: { WEBSOCKET_KEEPALIVE_SECONDS: '0.05' } })
    a = await h.addAccount({ email: 'a@example.com' })
    b = await h.addAccount({ email: 'b@example.com' })
    ws = await connect()
  })
  afterEach(async () => {
    await ws.close()
    await h.close()
  })

  it('sends a follow-up incrementally on the same upstream socket, without compression', async () => {
    const one = await ws.turn({ model: MODEL, input: [user('one')] })
    expect(last(one)['type']).toBe('response.completed')
    const two = await ws.turn({
      model: MODEL,
      previous_response_id: idOf(one),
      input: [user('two')],
    })
    expect(last(two)['type']).toBe('response.completed')
    const turns = h.fake.ws.turns
    expect(turns.map((t) => [t.connectionId, t.incremental, t.inputItems])).toEqual([
      [turns[0]!.connectionId, false, 1],
      [turns[0]!.connectionId, true, 1],
    ])
    expect(turns[1]!.conversationItems).toBe(3)
    const conn = h.fake.ws.connection(turns[0]!.connectionId)
    expect(conn.negotiatedExtensions).toBe('')
    expect(conn.headers['openai-beta']).toBe('responses_websockets=2026-02-06')
    expect(conn.headers['chatgpt-account-id']).toBe(conn.account!.chatgptAccountId)
    expect(conn.headers['session_id']).toBe('thread-1')
    expect(conn.headers['authorization']).toBe(`Bearer ${conn.account!.accessToken}`)
    const rows = (await h.logs()).slice(-2)
    expect(rows.map((r) => [r['transport'], r['status'], r['input_tokens']])).toEqual([
      ['websocket', 'success', 42],
      ['websocket', 'success', 42],
    ])
  })

  it('retries a stale anchor once in full before the client sees anything', async () => {
    const one = await ws.turn({ model: MODEL, input: [user('one')] })
    const owner = h.fake.ws.turns[0]!.account
    h.fake.ws.script(owner, previousResponseNotFound(String(idOf(one))), { kind: 'ok' })
    const two = await ws.turn({
      model: MODEL,
      previous_response_id: idOf(one),
      input: [user('two')],
    })
    expect(two.some((f) => f['type'] === 'error')).toBe(false)
    expect(last(two)['type']).toBe('response.completed')
    const turns = h.fake.ws.turns.slice(1)
    expect(turns.map((t) => [t.incremental, t.outcome])).toEqual([
      [true, 'error'],
      [false, 'completed'],
    ])
    expect(turns[1]!.inputItems).toBe(3)
  })

  it('reconnects at the 60-minute connection limit and completes the turn in full', async () => {
    const one = await ws.turn({ model: MODEL, input: [user('one')] })
    const owner = h.fake.ws.turns[0]!.account
    h.fake.ws.script(owner, connectionLimitReached(), { kind: 'ok' })
    const two = await ws.turn({
      model: MODEL,
      previous_response_id: idOf(one),
      input: [user('two')],
    })
    expect(last(two)['type']).toBe('response.completed')
    const [, refused, served] = h.fake.ws.turns
    expect(refused!.errorCode).toBe('websocket_connection_limit_reached')
    expect(served!.connectionId).not.toBe(refused!.connectionId)
    expect([served!.incremental, served!.inputItems]).toEqual([false, 3])
  })

  it('moves a follow-up whose account is used up to another account, in full and without its reasoning', async () => {
    const one = await ws.turn({ model: MODEL, input: [user('one'), reasoning] })
    const owner = h.fake.ws.turns[0]!.account
    const other = owner.email === a.email ? b : a
    h.fake.limitAccount(owner)
    const two = await ws.turn({
      model: MODEL,
      previous_response_id: idOf(one),
      input: [user('two')],
    })
    expect(last(two)['type']).toBe('response.completed')
    const served = h.fake.ws.turns.at(-1)!
    expect(served.account.email).toBe(other.email)
    expect(served.incremental).toBe(false)
    const input = served.body['input'] as Frame[]
    expect(input.some((i) => i['type'] === 'reasoning')).toBe(false)
    expect(input.at(-1)).toEqual(user('two'))
  })

  it('ends a turn the upstream closes mid-stream with response.failed, and logs it', async () => {
    h.fake.ws.scriptDefault({ kind: 'ws-close', afterEvents: 3 })
    const frames = await ws.turn({ model: MODEL, input: [user('x')] })
    expect(last(frames)).toMatchObject({
      type: 'response.failed',
      response: { error: { code: 'stream_incomplete' } },
    })
    h.fake.ws.scriptDefault({ kind: 'ok' })
    // The next turn on the same client socket reconnects upstream and goes through in full.
    expect(last(await ws.turn({ model: MODEL, input: [user('y')] }))['type']).toBe(
      'response.completed',
    )
    const rows = (await h.logs()).slice(-2)
    expect(rows.map((r) => r['error_code'])).toEqual(['stream_incomplete', null])
  })

  it('fills a long silence inside a turn with response.in_progress heartbeats', async () => {
    h.fake.ws.scriptDefault({ kind: 'stall', afterEvents: 2, ms: 400 })
    const frames = await ws.turn({ model: MODEL, input: [user('think')] })
    expect(last(frames)['type']).toBe('response.completed')
    const id = idOf(frames)
    const beat = { type: 'response.in_progress', response: { id, status: 'in_progress' } }
    const beats = frames.filter((f) => JSON.stringify(f) === JSON.stringify(beat))
    expect(beats.length).toBeGreaterThanOrEqual(2)
  })

  it('stores the usage windows a codex.rate_limits event carries', async () => {
    h.fake.ws.scriptDefault({ kind: 'ok', rateLimits: rateLimitsEvent({ primaryUsedPercent: 37 }) })
    const frames = await ws.turn({ model: MODEL, input: [user('x')] })
    expect(frames.some((f) => f['type'] === 'codex.rate_limits')).toBe(true)
    const account = h.fake.ws.turns.at(-1)!.account
    const id = account.email === a.email ? a.id : b.id
    await expect
      .poll(
        async () =>
          (
            await h.t.database.db
              .selectFrom('usage_history')
              .select(['used_percent', 'window'])
              .where('account_id', '=', id)
              .execute()
          ).find((r) => r.window === 'primary')?.used_percent,
      )
      .toBe(37)
  })

  it('relays an upstream usage limit with no other account as a status-429 error frame', async () => {
    h.fake.ws.scriptDefault(usageLimitReached())
    const frames = await ws.turn({ model: MODEL, input: [user('x')] })
    expect(last(frames)).toMatchObject({
      type: 'error',
      status: 429,
      error: { code: 'usage_limit_reached' },
    })
  })
})

describe('WebSocket transport when the backend refuses the upgrade', () => {
  let h: ProxyHarness
  beforeAll(async () => {
    h = await startProxyHarness()
    await h.addAccount()
  })
  afterAll(async () => h.close())

  it('serves the socket over HTTP SSE with the full input, and stops asking', async () => {
    h.fake.ws.scriptUpgrade({ kind: 'refuse', status: 426 })
    const ws = await connectWs(wsUrl(h.t.url), {})
    const one = await ws.turn({ model: MODEL, input: [user('one')] })
    expect(last(one)['type']).toBe('response.completed')
    const two = await ws.turn({
      model: MODEL,
      previous_response_id: idOf(one),
      input: [user('two')],
    })
    expect(last(two)['type']).toBe('response.completed')
    expect(h.fake.ws.connections).toHaveLength(1)
    const posts = h.fake.requestsTo('/backend-api/codex/responses', 'POST')
    expect(posts).toHaveLength(2)
    expect(((posts[1]!.body as Frame)['input'] as unknown[]).length).toBe(3)
    await ws.close()
  })
})

describe('WebSocket transport under load and disconnects', () => {
  let h: ProxyHarness
  let key: { id: string; key: string }
  const open = (headers: Record<string, string> = {}) =>
    connectWs(wsUrl(h.t.url), {
      authorization: `Bearer ${key.key}`,
      ...headers,
    })

  beforeAll(async () => {
    // 50 sockets on two accounts: caps high enough that no follow-up has to leave its account.
    h = await startProxyHarness({ env: { ACCOUNT_MAX_STREAMS: '50' } })
    await h.addAccount({ email: 'one@example.com' })
    await h.addAccount({ email: 'two@example.com' })
    key = await h.requireApiKey([
      { limitType: 'total_tokens', limitWindow: 'daily', maxValue: 10_000_000 },
    ])
  })
  afterAll(async () => h.close())

  it('cuts the upstream turn, logs client_closed and releases the reservation when the client leaves', async () => {
    h.fake.ws.scriptDefault({ kind: 'stall', afterEvents: 2 })
    const ws = await open()
    ws.send({ type: 'response.create', model: MODEL, input: [user('x')] })
    await ws.next()
    const turn = await h.fake.ws.waitForTurn(1)
    ws.socket.terminate()
    const closed = await h.fake.ws.waitForClose(turn.connectionId)
    expect(closed.closed?.by).toBe('client')
    await expect
      .poll(async () => (await h.logs()).at(-1)?.['error_code'], { timeout: 5000 })
      .toBe('client_closed')
    await expect
      .poll(
        async () =>
          (
            await h.t.database.db
              .selectFrom('api_key_usage_reservations')
              .select('status')
              .orderBy('created_at', 'desc')
              .executeTakeFirst()
          )?.status,
      )
      .toBe('released')
    h.fake.reset()
  })

  it('serves 50 concurrent sockets, two turns each, the second incremental on its own socket', async () => {
    const before = (await h.logs()).length
    const turnsBefore = h.fake.ws.turns.length
    const sockets = await Promise.all(
      Array.from({ length: 50 }, (_, i) => open({ session_id: `load-${i}` })),
    )
    const texts = await Promise.all(
      sockets.map(async (ws, i) => {
        const one = await ws.turn({ model: MODEL, input: [user(`one ${i}`)] }, 15_000)
        const two = await ws.turn(
          { model: MODEL, previous_response_id: idOf(one), input: [user(`two ${i}`)] },
          15_000,
        )
        await ws.close()
        return [last(one)['type'], last(two)['type']]
      }),
    )
    expect(texts.flat().every((t) => t === 'response.completed')).toBe(true)
    const turns = h.fake.ws.turns.slice(turnsBefore)
    expect(turns).toHaveLength(100)
    expect(turns.filter((t) => t.incremental)).toHaveLength(50)
    // Each incremental turn rode the connection its first turn used.
    for (const t of turns.filter((x) => x.incremental)) {
      expect(h.fake.ws.turnsOn(t.connectionId).map((x) => x.incremental)).toEqual([false, true])
    }
    await expect.poll(async () => (await h.logs()).length - before).toBe(100)
    const rows = (await h.logs()).slice(before)
    expect(rows.every((r) => r['transport'] === 'websocket' && r['status'] === 'success')).toBe(
      true,
    )
  })
})
