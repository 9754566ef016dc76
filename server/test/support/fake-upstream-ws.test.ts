import { describe, expect, it } from 'vitest'
import { DEFAULT_TEXT, DEFAULT_USAGE, type FakeAccount } from './fake-upstream.js'
import { fakeWsFixture } from './fake-upstream-ws-fixture.js'

type Json = Record<string, unknown>

const up = fakeWsFixture('ws@example.com')

function headersFor(acc: FakeAccount): Record<string, string> {
  return {
    authorization: `Bearer ${acc.accessToken}`,
    'chatgpt-account-id': acc.chatgptAccountId,
    'openai-beta': 'responses_websockets=2026-02-06',
    session_id: 'thread-1',
  }
}

const connect = (acc = up.account, deflate = true) => up.connect(headersFor(acc), deflate)

const user = (text: string) => ({
  type: 'message',
  role: 'user',
  content: [{ type: 'input_text', text }],
})

function textOf(frames: Json[]): string {
  return frames
    .filter((f) => f.type === 'response.output_text.delta')
    .map((f) => f.delta)
    .join('')
}

function completed(frames: Json[]): Json {
  const last = frames.at(-1) as Json
  expect(last.type).toBe('response.completed')
  return last.response as Json
}

describe('fake upstream WebSocket: turns', () => {
  it('answers a full create with the streamed events, and logs the upgrade and the turn', async () => {
    const client = await connect()
    const body = { model: 'gpt-5.5', input: [user('hi'), user('there')], store: false }
    const frames = await client.turn(body)
    expect(frames[0]?.type).toBe('response.created')
    expect(textOf(frames)).toBe(DEFAULT_TEXT)
    const response = completed(frames)
    expect(response).toMatchObject({ status: 'completed', model: 'gpt-5.5', usage: DEFAULT_USAGE })
    expect(response.id).toMatch(/^resp_/)
    const conn = up.fake.ws.connection(1)
    expect(conn).toMatchObject({
      status: 101,
      account: up.account,
      path: '/backend-api/codex/responses',
    })
    expect(conn.headers).toMatchObject({
      'openai-beta': 'responses_websockets=2026-02-06',
      session_id: 'thread-1',
    })
    expect(up.fake.ws.turns).toEqual([
      expect.objectContaining({
        connectionId: 1,
        index: 1,
        account: up.account,
        incremental: false,
        inputItems: 2,
        conversationItems: 2,
        bytes: Buffer.byteLength(JSON.stringify({ type: 'response.create', ...body })),
        prewarm: false,
        responseId: response.id,
        outcome: 'completed',
      }),
    ])
  })

  it('continues the last response of the same connection with only the new items', async () => {
    const client = await connect()
    const first = completed(await client.turn({ input: [user('a'), user('b')] }))
    const frames = await client.turn({ previous_response_id: first.id, input: [user('c')] })
    const second = completed(frames)
    expect(second.id).not.toBe(first.id)
    expect(
      up.fake.ws.turnsOn(1).map((t) => [t.incremental, t.inputItems, t.conversationItems]),
    ).toEqual([
      [false, 2, 2],
      [true, 1, 4], // 2 inputs + 1 output message + 1 new item
    ])
  })

  it('does not know a response of another connection: 400 previous_response_not_found', async () => {
    const first = completed(await (await connect()).turn({ input: [user('a')] }))
    const other = await connect()
    const frames = await other.turn({ previous_response_id: first.id, input: [user('b')] })
    expect(frames).toEqual([
      {
        type: 'error',
        status: 400,
        error: {
          type: 'invalid_request_error',
          code: 'previous_response_not_found',
          message: `Previous response with id '${String(first.id)}' not found.`,
          param: 'previous_response_id',
        },
      },
    ])
    expect(up.fake.ws.turnsOn(2)[0]).toMatchObject({
      incremental: true,
      outcome: 'error',
      status: 400,
      errorCode: 'previous_response_not_found',
    })
    // The socket stays usable: a full create goes through.
    completed(await other.turn({ input: [user('a'), user('b')] }))
  })

  it('keeps only the latest response, and an error evicts it', async () => {
    const client = await connect()
    const first = completed(await client.turn({ input: [user('a')] }))
    const second = completed(await client.turn({ previous_response_id: first.id, input: [] }))
    const stale = await client.turn({ previous_response_id: first.id, input: [] })
    expect(stale.at(-1)).toMatchObject({ error: { code: 'previous_response_not_found' } })
    // The refused reference named nothing held, so the latest one still works ...
    completed(await client.turn({ previous_response_id: second.id, input: [] }))
    const latest = up.fake.ws.turns.at(-1)?.responseId
    // ... until a turn fails: then nothing can be continued on this socket.
    up.fake.ws.script(up.account, { kind: 'http-error', status: 500 })
    const failed = await client.turn({ previous_response_id: latest, input: [] })
    expect(failed.at(-1)).toMatchObject({ type: 'error', status: 500 })
    const after = await client.turn({ previous_response_id: latest, input: [] })
    expect(after.at(-1)).toMatchObject({ error: { code: 'previous_response_not_found' } })
  })

  it('answers a generate:false prewarm without using the script, and it can be continued', async () => {
    up.fake.ws.script(up.account, { kind: 'ok', text: 'scripted answer' })
    const client = await connect()
    const warm = await client.turn({ generate: false, input: [], instructions: 'be brief' })
    expect(warm.map((f) => f.type)).toEqual(['response.created', 'response.completed'])
    const warmId = completed(warm).id
    const frames = await client.turn({ previous_response_id: warmId, input: [user('hi')] })
    expect(textOf(frames)).toBe('scripted answer')
    expect(up.fake.ws.turns.map((t) => [t.prewarm, t.incremental])).toEqual([
      [true, false],
      [false, true],
    ])
  })

  it('uses the HTTP script of the account when no WebSocket script is set', async () => {
    up.fake.script(up.account, { kind: 'ok', text: 'shared script' })
    expect(textOf(await (await connect()).turn({ input: [user('a')] }))).toBe('shared script')
  })

  it('streams tool calls and a codex.rate_limits event before response.created', async () => {
    const rateLimits = { plan_type: 'pro', rate_limits: { primary: { used_percent: 42 } } }
    up.fake.ws.script(up.account, {
      kind: 'tool-calls',
      calls: [{ name: 'shell', arguments: { cmd: ['ls'] }, callId: 'call_a' }],
      rateLimits,
    })
    const frames = await (await connect()).turn({ input: [user('a')] })
    expect(frames[0]).toEqual({ type: 'codex.rate_limits', ...rateLimits })
    expect(frames[1]?.type).toBe('response.created')
    expect(completed(frames).output).toEqual([
      expect.objectContaining({ type: 'function_call', call_id: 'call_a', name: 'shell' }),
    ])
  })

  it('sends custom frames as given, and an error frame without status when asked', async () => {
    up.fake.ws.script(
      up.account,
      { kind: 'ws-frames', frames: [{ type: 'codex.keepalive' }, 'not json', { type: 'error' }] },
      { kind: 'ws-error', status: null, error: { code: 'weird' } },
    )
    const client = await connect()
    expect(await client.turn({ input: [] })).toEqual([
      { type: 'codex.keepalive' },
      { raw: 'not json' },
      { type: 'error' },
    ])
    expect(await client.turn({ input: [] })).toEqual([{ type: 'error', error: { code: 'weird' } }])
  })

  it('answers a second create while one is streaming with a 400 error frame', async () => {
    up.fake.ws.script(up.account, { kind: 'stall', afterEvents: 1 })
    const client = await connect()
    client.send({ type: 'response.create', input: [user('a')] })
    expect((await client.next()).type).toBe('response.created')
    client.send({ type: 'response.create', input: [user('b')] })
    expect(await client.next()).toMatchObject({
      type: 'error',
      status: 400,
      error: { code: 'response_already_in_progress' },
    })
    up.fake.ws.release()
    completed(await client.readTurn())
    expect(up.fake.ws.turns.map((t) => t.outcome)).toEqual(['completed', 'error'])
  })

  it('answers bad frames with a 400 error frame and stays usable; response.processed is quiet', async () => {
    const client = await connect()
    client.send('{oops')
    expect(await client.next()).toMatchObject({ status: 400, error: { code: 'invalid_message' } })
    client.send({ type: 'response.cancel' })
    expect(await client.next()).toMatchObject({ status: 400, error: { code: 'invalid_message' } })
    client.socket.send(Buffer.from([1, 2, 3]), { binary: true })
    expect(await client.next()).toMatchObject({ status: 400, error: { code: 'invalid_message' } })
    client.send({ type: 'response.processed', response_id: 'resp_1' })
    expect(await client.silentFor(50)).toBe(true)
    completed(await client.turn({ input: [] }))
    expect(up.fake.ws.connection(1).otherMessages).toHaveLength(4)
    expect(up.fake.ws.turns).toHaveLength(1)
  })
})
