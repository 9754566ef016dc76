import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { usageLimitReached } from '../support/fake-upstream.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'
import { connectWs, refusedUpgrade, type WsTestClient, wsUrl } from '../support/ws-client.js'

type Frame = Record<string, unknown>
const terminalOf = (frames: Frame[]): Frame => frames[frames.length - 1]!
const responseOf = (frame: Frame) => (frame['response'] ?? {}) as Record<string, unknown>

const MODEL = 'gpt-5.5'
/** These tests pin the HTTP SSE upstream (the fallback); websocket-upstream tests cover the other. */
const HTTP_UPSTREAM = { UPSTREAM_WEBSOCKET: 'off' }
const userMessage = (text: string) => ({
  type: 'message',
  role: 'user',
  content: [{ type: 'input_text', text }],
})
const reasoning = { type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: 'opaque' }

describe('WebSocket transport: turns over an HTTP upstream', () => {
  let h: ProxyHarness
  const sockets: WsTestClient[] = []
  const connect = async (path?: string, headers: Record<string, string> = {}) => {
    const c = await connectWs(wsUrl(h.t.url, path), headers)
    sockets.push(c)
    return c
  }
  const upstreamBodies = () =>
    h.fake
      .requestsTo('/backend-api/codex/responses', 'POST')
      .map((r) => r.body as Record<string, unknown>)

  beforeAll(async () => {
    h = await startProxyHarness({ env: { ...HTTP_UPSTREAM, WEBSOCKET_KEEPALIVE_SECONDS: '0.05' } })
    await h.addAccount({ email: 'first@example.com' })
  })
  afterEach(() => {
    for (const s of sockets.splice(0)) void s.close()
    h.fake.reset()
  })
  afterAll(async () => h.close())

  it('relays a turn as text frames in order and logs one row', async () => {
    const before = (await h.logs()).length
    const ws = await connect()
    const frames = await ws.turn({ model: MODEL, input: [userMessage('hi')] })
    const types = frames.map((f) => f['type']).filter((t) => t !== 'codex.keepalive')
    expect(types[0]).toBe('response.created')
    expect(types.at(-1)).toBe('response.completed')
    const text = frames
      .filter((f) => f.type === 'response.output_text.delta')
      .map((f) => f['delta'])
      .join('')
    expect(text).toBe('Hi from fake upstream!')
    const rows = (await h.logs()).slice(before)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      status: 'success',
      endpoint: '/backend-api/codex/responses',
      transport: 'websocket',
      input_tokens: 42,
      output_tokens: 7,
    })
  })

  it('rebuilds an incremental turn (previous_response_id + new items) into the full input', async () => {
    const ws = await connect()
    const one = await ws.turn({ model: MODEL, input: [userMessage('first')] })
    const id = responseOf(terminalOf(one))['id']
    const two = await ws.turn({
      model: MODEL,
      previous_response_id: id,
      input: [userMessage('second')],
    })
    expect(terminalOf(two).type).toBe('response.completed')
    const [, second] = upstreamBodies()
    expect(second!['previous_response_id']).toBeUndefined()
    const input = second!['input'] as Array<Record<string, unknown>>
    expect(input.map((i) => i['type'] ?? i['role'])).toEqual(['message', 'message', 'message'])
    expect(input[0]).toMatchObject({ role: 'user' })
    expect(input[1]).toMatchObject({ role: 'assistant', type: 'message' })
    expect(input[2]).toMatchObject({ content: [{ text: 'second' }] })
  })

  it('answers a generate:false prewarm itself, then serves the anchored first turn in full', async () => {
    const before = (await h.logs()).length
    const ws = await connect()
    const warm = await ws.turn({ model: MODEL, input: [], generate: false })
    expect(warm.map((f) => f.type)).toEqual(['response.created', 'response.completed'])
    expect(upstreamBodies()).toHaveLength(0)
    const id = responseOf(terminalOf(warm))['id']
    const turn = await ws.turn({
      model: MODEL,
      previous_response_id: id,
      input: [userMessage('go')],
    })
    expect(terminalOf(turn).type).toBe('response.completed')
    expect(upstreamBodies()[0]!['input']).toEqual([userMessage('go')])
    // The prewarm is not an upstream attempt: one row, for the real turn.
    expect((await h.logs()).slice(before)).toHaveLength(1)
  })

  it('answers an unknown previous_response_id with a retryable response.failed, not an error frame', async () => {
    const ws = await connect()
    const frames = await ws.turn({
      model: MODEL,
      previous_response_id: 'resp_unknown',
      input: [userMessage('x')],
    })
    expect(frames).toHaveLength(1)
    expect(frames[0]).toMatchObject({
      type: 'response.failed',
      response: { status: 'failed', error: { code: 'previous_response_not_found' } },
    })
    expect(upstreamBodies()).toHaveLength(0)
    // The socket is still usable: the CLI retries with the full input.
    expect(terminalOf(await ws.turn({ model: MODEL, input: [userMessage('x')] })).type).toBe(
      'response.completed',
    )
  })

  it("refuses another socket's previous_response_id with a status-400 error frame", async () => {
    const a = await connect()
    const id = responseOf(terminalOf(await a.turn({ model: MODEL, input: [userMessage('a')] })))[
      'id'
    ]
    const b = await connect()
    const frames = await b.turn({ model: MODEL, previous_response_id: id, input: [] })
    expect(frames[0]).toMatchObject({
      type: 'error',
      status: 400,
      error: { code: 'previous_response_not_found', param: 'previous_response_id' },
    })
  })

  it('sends malformed, binary and unknown frames a status-400 error frame and keeps the socket', async () => {
    const ws = await connect()
    ws.send('{not json')
    expect(await ws.next()).toMatchObject({ type: 'error', status: 400 })
    ws.socket.send(Buffer.from([1, 2, 3]), { binary: true })
    expect(await ws.next()).toMatchObject({ type: 'error', status: 400 })
    ws.send({ type: 'response.cancel' })
    expect(await ws.next()).toMatchObject({ type: 'error', status: 400, error: { param: 'type' } })
    ws.send({ type: 'response.create', input: [] })
    expect(await ws.next()).toMatchObject({ type: 'error', status: 400, error: { param: 'model' } })
    expect(terminalOf(await ws.turn({ model: MODEL, input: [userMessage('ok')] })).type).toBe(
      'response.completed',
    )
  })

  it('refuses a second response.create while one is running', async () => {
    const ws = await connect()
    h.fake.scriptDefault({ kind: 'slow-first-byte', ms: 300 })
    ws.send({ type: 'response.create', model: MODEL, input: [userMessage('one')] })
    ws.send({ type: 'response.create', model: MODEL, input: [userMessage('two')] })
    const frames = await ws.readTurn()
    expect(frames.find((f) => f.type === 'error')).toMatchObject({
      status: 409,
      error: { code: 'response_in_progress' },
    })
    // The running turn still ends normally, and only it reached the upstream.
    const rest = frames.at(-1)?.type === 'error' ? await ws.readTurn() : frames
    expect(terminalOf(rest).type).toBe('response.completed')
    expect(upstreamBodies()).toHaveLength(1)
  })

  it('sends heartbeats while the first upstream event is pending', async () => {
    const ws = await connect()
    h.fake.scriptDefault({ kind: 'slow-first-byte', ms: 400 })
    const frames = await ws.turn({ model: MODEL, input: [userMessage('slow')] })
    expect(frames[0]).toMatchObject({
      type: 'codex.keepalive',
      status: 'pending_response_created',
    })
    expect(terminalOf(frames).type).toBe('response.completed')
  })

  it('logs a client that disconnects mid-turn as client_closed', async () => {
    const before = (await h.logs()).length
    const ws = await connect()
    h.fake.scriptDefault({ kind: 'stall', afterEvents: 2 })
    ws.send({ type: 'response.create', model: MODEL, input: [userMessage('x')] })
    await ws.next()
    ws.socket.terminate()
    await expect
      .poll(async () => (await h.logs()).slice(before).map((r) => r['error_code']), {
        timeout: 5000,
      })
      .toEqual(['client_closed'])
  })

  it('answers a plain GET with 426 and an upgrade on an unknown path with 404', async () => {
    const res = await fetch(`${h.t.url}/backend-api/codex/responses`)
    expect(res.status).toBe(426)
    const refused = await refusedUpgrade(wsUrl(h.t.url, '/backend-api/codex/nope'), {})
    expect(refused.status).toBe(404)
  })
})

describe('WebSocket transport over an HTTP upstream: accounts running out', () => {
  it('moves a follow-up to another account when its owner is used up, without its reasoning items', async () => {
    const h = await startProxyHarness({ env: HTTP_UPSTREAM })
    const first = await h.addAccount({ email: 'first@example.com' })
    const ws = await connectWs(wsUrl(h.t.url), {})
    const one = await ws.turn({ model: MODEL, input: [userMessage('one'), reasoning] })
    const id = responseOf(terminalOf(one))['id']
    await h.addAccount({ email: 'second@example.com' })
    h.fake.script(first, usageLimitReached())
    const two = await ws.turn({
      model: MODEL,
      previous_response_id: id,
      input: [userMessage('two')],
    })
    expect(terminalOf(two).type).toBe('response.completed')
    const posts = h.fake.requestsTo('/backend-api/codex/responses', 'POST')
    // First account tried (it produced the anchor), refused, then the second served it in full.
    expect(posts.map((p) => p.account?.email)).toEqual([
      'first@example.com',
      'first@example.com',
      'second@example.com',
    ])
    const sent = (posts[2]!.body as Record<string, unknown>)['input'] as Array<
      Record<string, unknown>
    >
    expect(sent.some((i) => i['type'] === 'reasoning')).toBe(false)
    expect(sent.at(-1)).toMatchObject({ content: [{ text: 'two' }] })
    const toFirst = (posts[1]!.body as Record<string, unknown>)['input'] as unknown[]
    expect(toFirst).toContainEqual(reasoning)
    await ws.close()
    await h.close()
  })

  it('answers pool exhaustion with a status-429 usage_limit_reached error frame', async () => {
    const h = await startProxyHarness({ env: HTTP_UPSTREAM })
    await h.addAccount()
    const ws = await connectWs(wsUrl(h.t.url), {})
    h.fake.scriptDefault(usageLimitReached())
    const frames = await ws.turn({ model: MODEL, input: [userMessage('x')] })
    const error = terminalOf(frames)
    expect(error).toMatchObject({
      type: 'error',
      status: 429,
      error: { code: 'usage_limit_reached' },
    })
    expect((error['error'] as Record<string, unknown>)['resets_at']).toEqual(expect.any(Number))
    expect(error['headers']).toMatchObject({ 'retry-after': expect.any(String) })
    await ws.close()
    await h.close()
  })
})

describe('WebSocket transport over an HTTP upstream: a long session', () => {
  it('leaves no listener behind per turn on the client socket', async () => {
    const h = await startProxyHarness({ env: HTTP_UPSTREAM })
    await h.addAccount()
    const ws = await connectWs(wsUrl(h.t.url), {})
    const socket = [...h.t.app.websocketServer.clients][0]!
    const before = socket.listenerCount('close')
    for (let i = 0; i < 15; i++) {
      const frames = await ws.turn({ model: MODEL, input: [userMessage(`turn ${i}`)] })
      expect(terminalOf(frames)['type']).toBe('response.completed')
    }
    expect(socket.listenerCount('close')).toBe(before)
    await ws.close()
    await h.close()
  })
})
