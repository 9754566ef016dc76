import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  connectionLimitReached,
  previousResponseNotFound,
  rateLimitsEvent,
  usageLimitReached,
} from '../support/fake-upstream.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'
import { connectWs, type WsTestClient } from '../support/ws-client.js'

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
    connectWs(h.t.url.replace(/^http/, 'ws') + '/backend-api/codex/responses', {
      session_id: 'thread-1',
      'openai-beta': 'responses_websockets=2026-02-06',
    })

  // A fresh pool per test: several tests use an account up.
  beforeEach(async () => {
    h = await startProxyHarness()
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
    const ws = await connectWs(h.t.url.replace(/^http/, 'ws') + '/backend-api/codex/responses', {})
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
