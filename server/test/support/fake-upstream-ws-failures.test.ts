import { describe, expect, it } from 'vitest'
import {
  connectionLimitReached,
  previousResponseNotFound,
  usageLimitReached,
  type FakeAccount,
} from './fake-upstream.js'
import { fakeWsFixture } from './fake-upstream-ws-fixture.js'
import { refusedUpgrade } from './ws-client.js'

type Json = Record<string, unknown>

const up = fakeWsFixture('ws-fail@example.com')

const headersFor = (acc: FakeAccount) => ({
  authorization: `Bearer ${acc.accessToken}`,
  'chatgpt-account-id': acc.chatgptAccountId,
})

const connect = (deflate = true) => up.connect(headersFor(up.account), deflate)

const types = (frames: Json[]) => frames.map((f) => f.type)

describe('fake upstream WebSocket: scripted failures', () => {
  it('sends a usage-limit 429 as a wrapped error frame with resets_at and headers', async () => {
    const headers = { 'x-codex-primary-used-percent': '100' }
    up.fake.ws.script(up.account, { ...usageLimitReached({ resetsInSeconds: 600 }), headers })
    const [frame, ...rest] = await (await connect()).turn({ input: [] })
    expect(rest).toEqual([])
    expect(frame).toMatchObject({
      type: 'error',
      status: 429,
      error: { type: 'usage_limit_reached', resets_in_seconds: 600 },
      headers,
    })
    expect((frame?.error as Json).resets_at).toBeGreaterThan(Date.now() / 1000)
    expect(up.fake.ws.turns[0]).toMatchObject({ outcome: 'error', status: 429 })
  })

  it('limitAccount makes every answer of the account a 429, over HTTP too, until lifted', async () => {
    up.fake.ws.script(up.account, { kind: 'ok', text: 'scripted' })
    up.fake.limitAccount(up.account)
    const client = await connect()
    expect((await client.turn({ input: [] }))[0]).toMatchObject({ type: 'error', status: 429 })
    const http = await fetch(`${up.fake.backendBaseUrl}/codex/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${up.account.accessToken}` },
      body: '{}',
    })
    expect(http.status).toBe(429)
    expect(((await http.json()) as { error: Json }).error.type).toBe('usage_limit_reached')
    up.fake.unlimitAccount(up.account)
    expect((await client.turn({ input: [] })).at(-1)?.type).toBe('response.completed')
  })

  it('a scripted previous_response_not_found on a valid anchor evicts it (stale anchor)', async () => {
    const client = await connect()
    const first = (await client.turn({ input: [] })).at(-1)?.response as Json
    up.fake.ws.script(up.account, previousResponseNotFound(String(first.id)), { kind: 'ok' })
    const stale = await client.turn({ previous_response_id: first.id, input: [] })
    expect(stale).toEqual([
      { type: 'error', status: 400, error: previousResponseNotFound(String(first.id)).error },
    ])
    const again = await client.turn({ previous_response_id: first.id, input: [] })
    expect(again[0]).toMatchObject({ error: { code: 'previous_response_not_found' } })
  })

  it('answers websocket_connection_limit_reached on an aged connection and closes it', async () => {
    const client = await connect()
    up.fake.ws.connectionLimitMs = 0
    const [frame] = await client.turn({ input: [] })
    expect(frame).toMatchObject({
      type: 'error',
      status: 400,
      error: { code: 'websocket_connection_limit_reached' },
    })
    expect((await client.closed).code).toBe(1000)
    expect((await up.fake.ws.waitForClose(1)).closed).toMatchObject({ code: 1000, by: 'server' })
    expect(connectionLimitReached().closeCode).toBe(1000)
  })

  it('closes mid-turn after N events with the scripted code', async () => {
    up.fake.ws.script(up.account, { kind: 'ws-close', afterEvents: 3, code: 1011, reason: 'gone' })
    const client = await connect()
    client.send({ type: 'response.create', input: [] })
    const got: Json[] = []
    await expect(
      (async () => {
        for (;;) got.push(await client.next())
      })(),
    ).rejects.toThrow('socket closed')
    expect(types(got)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
    ])
    expect(await client.closed).toEqual({ code: 1011, reason: 'gone' })
    await up.fake.ws.waitForClose(1)
    expect(up.fake.ws.turns[0]?.outcome).toBe('closed')
    expect(up.fake.ws.connection(1).closed?.by).toBe('server')
  })

  it('drop-mid-stream cuts the TCP socket without a close frame', async () => {
    up.fake.ws.script(up.account, { kind: 'drop-mid-stream', afterEvents: 1 })
    const client = await connect()
    client.send({ type: 'response.create', input: [] })
    expect((await client.next()).type).toBe('response.created')
    expect((await client.closed).code).toBe(1006)
  })

  it('stalls after N events until released, then sends the rest', async () => {
    up.fake.ws.script(up.account, { kind: 'stall', afterEvents: 2 })
    const client = await connect()
    client.send({ type: 'response.create', input: [] })
    expect(types([await client.next(), await client.next()])).toEqual([
      'response.created',
      'response.in_progress',
    ])
    expect(await client.silentFor(150)).toBe(true)
    expect(up.fake.ws.turns[0]?.outcome).toBe('open')
    up.fake.ws.release()
    expect((await client.readTurn()).at(-1)?.type).toBe('response.completed')
  })

  it('the fake can close an idle connection itself', async () => {
    const client = await connect()
    up.fake.ws.closeConnection(1, 1001, 'idle')
    expect(await client.closed).toEqual({ code: 1001, reason: 'idle' })
    expect((await up.fake.ws.waitForClose(1)).closed?.by).toBe('server')
  })
})

describe('fake upstream WebSocket: upgrade', () => {
  it('refuses the upgrade with a scripted 426 (the client must fall back to HTTP SSE)', async () => {
    up.fake.ws.scriptUpgrade({ kind: 'refuse', status: 426 }, { kind: 'accept' })
    const refused = await refusedUpgrade(up.fake.wsUrl, headersFor(up.account))
    expect(refused.status).toBe(426)
    expect(up.fake.ws.connection(1)).toMatchObject({ status: 426, account: up.account })
    await connect()
    expect(up.fake.ws.connection(2).status).toBe(101)
  })

  it('answers 404 for another path, 401 for a bad token, 403 for a foreign account id', async () => {
    const wrongPath = await refusedUpgrade(
      `${up.fake.url}/backend-api/codex/other`.replace('http', 'ws'),
      headersFor(up.account),
    )
    expect(wrongPath.status).toBe(404)
    const other = up.fake.addAccount()
    const badToken = await refusedUpgrade(up.fake.wsUrl, {
      ...headersFor(up.account),
      authorization: 'Bearer nope',
    })
    expect(badToken).toMatchObject({ status: 401, body: { error: { code: 'token_expired' } } })
    const foreign = { ...headersFor(up.account), 'chatgpt-account-id': other.chatgptAccountId }
    expect((await refusedUpgrade(up.fake.wsUrl, foreign)).status).toBe(403)
    expect(up.fake.ws.connections.map((c) => c.status)).toEqual([404, 401, 403])
  })

  it('records the offered and negotiated extensions; deflate can be declined', async () => {
    const offered = await connect(true)
    expect(up.fake.ws.connection(1).headers['sec-websocket-extensions']).toMatch(
      /permessage-deflate/,
    )
    expect(up.fake.ws.connection(1).negotiatedExtensions).toMatch(/^permessage-deflate/)
    expect(offered.socket.extensions).toMatch(/^permessage-deflate/)
    up.fake.ws.scriptUpgrade({
      kind: 'accept',
      deflate: false,
      headers: { 'x-codex-turn-state': 'ts-1' },
    })
    const declined = await connect(true)
    expect(up.fake.ws.connection(2).negotiatedExtensions).toBe('')
    expect(declined.socket.extensions).toBe('')
    expect(declined.upgradeHeaders['x-codex-turn-state']).toBe('ts-1')
    await connect(false)
    expect(up.fake.ws.connection(3).headers['sec-websocket-extensions']).toBeUndefined()
    expect(up.fake.ws.connection(3).negotiatedExtensions).toBe('')
    // Frames are logged by their payload size whether or not they were compressed.
    const big = { type: 'response.create', input: [{ type: 'message', content: 'x'.repeat(5000) }] }
    offered.send(big)
    await offered.readTurn()
    expect(up.fake.ws.turns[0]?.bytes).toBe(Buffer.byteLength(JSON.stringify(big)))
  })
})
