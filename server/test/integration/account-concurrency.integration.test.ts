import { afterEach, describe, expect, it, vi } from 'vitest'
import { readSse } from '../support/fake-upstream.js'
import { DashboardClient } from '../support/dashboard-client.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'
import { connectWs, wsUrl } from '../support/ws-client.js'

const CAP_MESSAGE = /account is at its concurrency cap\)\. No slot freed up within 1s\. Try again/

/** POST a Responses request (streaming unless `stream: false`); `signal` hangs up the client. */
function post(h: ProxyHarness, body: Record<string, unknown> = {}, signal?: AbortSignal) {
  return fetch(`${h.t.url}/v1/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-5.5', input: 'hi', stream: true, ...body }),
    ...(signal ? { signal } : {}),
  })
}

function postTo(h: ProxyHarness, path: string, body: Record<string, unknown>) {
  return fetch(`${h.t.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
}

/** Clients still connected; a failed test hangs them all up so the server can close. */
const clients: AbortController[] = []

/** A stream that holds its slot until the returned controller aborts (the client hangs up). */
async function holdSlot(h: ProxyHarness): Promise<AbortController> {
  h.fake.scriptDefault({ kind: 'stall', afterEvents: 2 })
  const client = new AbortController()
  clients.push(client)
  const res = await post(h, {}, client.signal)
  expect(res.status).toBe(200)
  h.fake.scriptDefault({ kind: 'ok' })
  return client
}

const inFlight = (h: ProxyHarness) => h.t.app.services.inFlight
/** Every slot given back and nobody queued (the relay's end runs just after the client's). */
const drained = (h: ProxyHarness) =>
  vi.waitFor(() => {
    expect(inFlight(h).counts()).toEqual({})
    expect(inFlight(h).queued).toBe(0)
  })

async function expectAtCapacity(res: Response) {
  expect(res.status).toBe(429)
  expect(res.headers.get('retry-after')).toBe('1')
  const body = (await res.json()) as { error: { code: string; message: string } }
  expect(body.error.code).toBe('accounts_at_capacity')
  expect(body.error.message).toMatch(CAP_MESSAGE)
}

describe('per-account concurrency caps', () => {
  let h: ProxyHarness
  afterEach(async () => {
    for (const client of clients.splice(0)) client.abort()
    // fetch may leave a connection that never carried a request (after an abort), which would hold
    // close() open until Node's headers timeout; every test has drained its requests by now.
    h.t.app.server.closeAllConnections()
    await h.close()
  })

  it('50 slow streams on 4 accounts with cap 2: the upstream never sees more than 2 per account, all are served, nothing leaks', async () => {
    h = await startProxyHarness({
      env: { ACCOUNT_MAX_STREAMS: '2', ACCOUNT_QUEUE_WAIT_SECONDS: '60' },
    })
    const accounts = []
    for (let i = 0; i < 4; i++) accounts.push(await h.addAccount())
    h.fake.scriptDefault({ kind: 'ok', text: 'one two three', eventDelayMs: 30 })
    const results = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const res = await post(h)
        return { status: res.status, text: res.status === 200 ? (await readSse(res)).text : '' }
      }),
    )
    expect(results.filter((r) => r.status === 200 && r.text === 'one two three')).toHaveLength(50)
    for (const a of accounts) expect(h.fake.maxConcurrent(a)).toBe(2)
    expect(h.fake.requestsTo('/backend-api/codex/responses')).toHaveLength(50)
    await drained(h)
    for (const a of accounts) expect(h.fake.inFlight(a)).toBe(0)
    const rows = await h.logs()
    expect(rows.filter((r) => r['status'] === 'success')).toHaveLength(50)
  })

  it('answers 429 accounts_at_capacity after the queue wait, logs why, and frees the slot when the client hangs up', async () => {
    h = await startProxyHarness({
      env: { ACCOUNT_MAX_STREAMS: '1', ACCOUNT_QUEUE_WAIT_SECONDS: '1' },
    })
    const a = await h.addAccount()
    const holder = await holdSlot(h)
    const started = Date.now()
    await expectAtCapacity(await post(h))
    expect(Date.now() - started).toBeGreaterThanOrEqual(950)
    const unserved = (await h.logs()).filter((r) => r['account_id'] === null)
    expect(unserved).toMatchObject([{ http_status: 429, error_code: 'accounts_at_capacity' }])
    expect(h.fake.requestsTo('/backend-api/codex/responses')).toHaveLength(1)
    // The holder hangs up: its slot comes back and the next request is served at once.
    holder.abort()
    await drained(h)
    const next = await post(h)
    expect((await readSse(next)).text).toBe('Hi from fake upstream!')
    expect(h.fake.maxConcurrent(a)).toBe(1)
    await drained(h)
  })

  it('serves a queued request as soon as a slot frees, and drops one whose client leaves the queue', async () => {
    h = await startProxyHarness({
      env: { ACCOUNT_MAX_STREAMS: '1', ACCOUNT_QUEUE_WAIT_SECONDS: '30' },
    })
    const a = await h.addAccount()
    const holder = await holdSlot(h)
    const leaver = new AbortController()
    const left = post(h, {}, leaver.signal).catch((err: unknown) => err)
    await vi.waitFor(() => expect(inFlight(h).queued).toBe(1))
    leaver.abort()
    expect(await left).toBeInstanceOf(Error)
    await vi.waitFor(() => expect(inFlight(h).queued).toBe(0))
    const waiter = post(h)
    await vi.waitFor(() => expect(inFlight(h).queued).toBe(1))
    holder.abort()
    const served = await waiter
    expect((await readSse(served)).text).toBe('Hi from fake upstream!')
    // The one that left never reached the upstream.
    expect(h.fake.requestsTo('/backend-api/codex/responses')).toHaveLength(2)
    expect(h.fake.maxConcurrent(a)).toBe(1)
    await drained(h)
  })

  it('gives the slot back when an attempt fails over, and when a stream breaks mid-way', async () => {
    h = await startProxyHarness({
      env: { ACCOUNT_MAX_STREAMS: '1', ACCOUNT_QUEUE_WAIT_SECONDS: '1' },
    })
    const a = await h.addAccount({ email: 'a@example.com' })
    const b = await h.addAccount({ email: 'b@example.com' })
    // b has less quota left, so a is tried first.
    h.fake.setUsage(b, { primaryUsedPercent: 50, secondaryUsedPercent: 50 })
    await h.t.app.services.usage.refreshAll()
    h.t.app.services.pool.invalidate()
    h.fake.script(a, { kind: 'first-event-failed', code: 'server_error' })
    h.fake.script(b, { kind: 'stall', afterEvents: 2, ms: 300 })
    const res = await post(h)
    expect(res.status).toBe(200)
    // While b streams, a's failed attempt holds nothing.
    expect(inFlight(h).counts()).toEqual({ [b.id]: 1 })
    expect((await readSse(res)).text).toBe('Hi from fake upstream!')
    await drained(h)
    h.fake.script(b, { kind: 'drop-mid-stream', afterEvents: 3 })
    const broken = await readSse(await post(h))
    expect(broken.types.at(-1)).toBe('response.failed')
    await drained(h)
  })

  it('caps non-streaming, compact and Chat requests too, and frees their slots', async () => {
    h = await startProxyHarness({
      env: { ACCOUNT_MAX_STREAMS: '1', ACCOUNT_QUEUE_WAIT_SECONDS: '1' },
    })
    const a = await h.addAccount()
    const chat = { model: 'gpt-5.5', messages: [{ role: 'user', content: 'hi' }] }
    const calls = [
      () => post(h, { stream: false }),
      () => postTo(h, '/backend-api/codex/responses/compact', { model: 'gpt-5.5', input: 'hi' }),
      () => postTo(h, '/v1/chat/completions', chat),
      () => postTo(h, '/v1/chat/completions', { ...chat, stream: true }),
    ]
    const holder = await holdSlot(h)
    const refused = await Promise.all(calls.map((call) => call()))
    for (const res of refused) await expectAtCapacity(res)
    holder.abort()
    await drained(h)
    for (const call of calls) {
      const res = await call()
      expect(res.status).toBe(200)
      await res.text()
      await drained(h)
    }
    expect(h.fake.maxConcurrent(a)).toBe(1)
  })

  it('holds a WebSocket turn’s slot only while the turn runs, not while the socket idles', async () => {
    h = await startProxyHarness({
      env: { ACCOUNT_MAX_STREAMS: '1', ACCOUNT_QUEUE_WAIT_SECONDS: '1' },
    })
    const a = await h.addAccount()
    const ws = await connectWs(wsUrl(h.t.url), {})
    const done = await ws.turn({ model: 'gpt-5.5', input: [] })
    expect(done.at(-1)?.['type']).toBe('response.completed')
    await drained(h)
    // The socket stays open and idle: HTTP gets the account's only slot.
    expect((await readSse(await post(h))).text).toBe('Hi from fake upstream!')
    await drained(h)
    h.fake.ws.scriptDefault({ kind: 'stall', afterEvents: 2 })
    ws.send({ type: 'response.create', model: 'gpt-5.5', input: [] })
    await vi.waitFor(() => expect(inFlight(h).counts()).toEqual({ [a.id]: 1 }))
    await expectAtCapacity(await post(h))
    h.fake.ws.release()
    const second = await ws.readTurn()
    expect(second.at(-1)?.['type']).toBe('response.completed')
    await drained(h)
    // A socket that closes mid-turn gives its slot back too.
    ws.send({ type: 'response.create', model: 'gpt-5.5', input: [] })
    await vi.waitFor(() => expect(inFlight(h).counts()).toEqual({ [a.id]: 1 }))
    await ws.close()
    await drained(h)
    expect(h.fake.maxConcurrent(a)).toBe(1)
  })

  it("an account's own cap overrides the global one, and null restores it", async () => {
    h = await startProxyHarness({
      env: { ACCOUNT_MAX_STREAMS: '1', ACCOUNT_QUEUE_WAIT_SECONDS: '1' },
    })
    const a = await h.addAccount()
    const api = new DashboardClient(h.t.url)
    const set = await api.put(`/api/accounts/${a.id}/concurrency`, { maxStreams: 3 })
    expect(set).toMatchObject({ status: 200, body: { accountId: a.id, maxStreams: 3 } })
    const holders = [await holdSlot(h), await holdSlot(h), await holdSlot(h)]
    await expectAtCapacity(await post(h))
    expect(h.fake.maxConcurrent(a)).toBe(3)
    for (const holder of holders) holder.abort()
    await drained(h)
    await api.put(`/api/accounts/${a.id}/concurrency`, { maxStreams: null })
    const again = await holdSlot(h)
    await expectAtCapacity(await post(h))
    again.abort()
    await drained(h)
  })
})
