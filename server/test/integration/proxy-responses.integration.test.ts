import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { defaultModels, readSse, usageLimitReached } from '../support/fake-upstream.js'
import { dialects } from '../support/dialects.js'
import { MAX_COMPACT_BYTES } from '../../src/modules/proxy/compact-attempt.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'

const DIALECTS = await dialects()

describe.each(DIALECTS)('proxy: Responses API ($name)', (dialect) => {
  let h: ProxyHarness
  let solo: Awaited<ReturnType<ProxyHarness['addAccount']>>
  beforeAll(async () => {
    h = await startProxyHarness(
      dialect.name === 'sqlite' ? {} : { database: await dialect.make('') },
    )
    solo = await h.addAccount({ email: 'solo@example.com' })
  })
  afterAll(async () => h.close())
  afterEach(() => h.fake.reset())

  it('streams through the openai SDK with text and usage, and logs one row', async () => {
    const before = (await h.logs()).length
    const stream = await h
      .sdk()
      .responses.create({ model: 'gpt-5.5', input: 'say hi', stream: true })
    let text = ''
    let usage: unknown
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') text += event.delta
      if (event.type === 'response.completed') usage = event.response.usage
    }
    expect(text).toBe('Hi from fake upstream!')
    expect(usage).toMatchObject({ input_tokens: 42, output_tokens: 7 })
    const rows = (await h.logs()).slice(before)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      status: 'success',
      model: 'gpt-5.5',
      input_tokens: 42,
      cached_input_tokens: 10,
      output_tokens: 7,
      reasoning_tokens: 3,
      endpoint: '/v1/responses',
    })
    expect(rows[0]!['cost_usd']).toBeGreaterThan(0)
    expect(rows[0]!['ttfb_ms']).not.toBeNull()
  })

  it('returns the final response object as JSON when stream is not set', async () => {
    const res = await h.sdk().responses.create({ model: 'gpt-5.5', input: 'say hi' })
    expect(res.output_text).toBe('Hi from fake upstream!')
    expect(res.usage?.total_tokens).toBe(49)
  })

  it('supports the responses.stream() helper', async () => {
    const final = await h
      .sdk()
      .responses.stream({ model: 'gpt-5.5', input: 'hi', instructions: 'x' })
      .finalResponse()
    expect(final.output_text).toBe('Hi from fake upstream!')
  })

  it('always answers SSE on the Codex wire, forwarding upstream bytes and headers', async () => {
    const res = await fetch(`${h.t.url}/backend-api/codex/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', session_id: 's-1', originator: 'codex_exec' },
      body: JSON.stringify({ model: 'gpt-5.5', input: 'hi', stream: false }),
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const sse = await readSse(res)
    expect(sse.types.at(-1)).toBe('response.completed')
    expect(sse.text).toBe('Hi from fake upstream!')
    const upstream = h.fake.requestsTo('/backend-api/codex/responses').at(-1)!
    expect(upstream.headers['originator']).toBe('codex_exec')
    expect(upstream.headers['authorization']).toMatch(/^Bearer /)
    expect(upstream.headers['chatgpt-account-id']).toBeTruthy()
    expect(upstream.body).toMatchObject({ stream: true, store: false })
  })

  it('relays awkward chunk splits (inside CRLF and UTF-8) intact', async () => {
    h.fake.scriptDefault({
      kind: 'ok',
      awkward: true,
      lineEnding: '\r\n',
      text: 'héllo wörld 😀 done',
    })
    const stream = await h.sdk().responses.create({ model: 'gpt-5.5', input: 'x', stream: true })
    let text = ''
    for await (const e of stream) if (e.type === 'response.output_text.delta') text += e.delta
    expect(text).toBe('héllo wörld 😀 done')
  })

  it('ends a stream dropped mid-way with response.failed and logs the error', async () => {
    h.fake.scriptDefault({ kind: 'drop-mid-stream', afterEvents: 4 })
    const before = (await h.logs()).length
    const res = await fetch(`${h.t.url}/backend-api/codex/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-5.5', input: 'hi' }),
    })
    const sse = await readSse(res)
    expect(sse.types.slice(0, 4)).toContain('response.created')
    expect(sse.types.at(-1)).toBe('response.failed')
    const rows = (await h.logs()).slice(before)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ status: 'error' })
    expect(['upstream_error', 'stream_incomplete']).toContain(rows[0]!['error_code'])
  })

  it('synthesizes stream_incomplete when the upstream ends without a terminal event', async () => {
    h.fake.scriptDefault({ kind: 'no-terminal' })
    const res = await fetch(`${h.t.url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-5.5', input: 'hi', stream: true }),
    })
    const sse = await readSse(res)
    const last = sse.json.at(-1) as { type: string; response: { error: { code: string } } }
    expect(last.type).toBe('response.failed')
    expect(last.response.error.code).toBe('stream_incomplete')
  })

  it('aborts the upstream request when the client disconnects, and still logs the attempt', async () => {
    h.fake.scriptDefault({ kind: 'stall', afterEvents: 2 })
    const before = (await h.logs()).length
    const controller = new AbortController()
    const res = await fetch(`${h.t.url}/backend-api/codex/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-5.5', input: 'hi' }),
      signal: controller.signal,
    })
    const reader = res.body!.getReader()
    await reader.read()
    controller.abort()
    const aborted = await h.fake.waitForAbort(5000)
    expect(aborted.path).toBe('/backend-api/codex/responses')
    await expect.poll(async () => (await h.logs()).length, { timeout: 5000 }).toBe(before + 1)
    const row = (await h.logs()).at(-1)!
    expect(row).toMatchObject({ status: 'error', error_code: 'client_closed' })
  })

  it('logs a non-streaming request the client abandons as client_closed', async () => {
    h.fake.scriptDefault({ kind: 'stall', afterEvents: 2 })
    const before = (await h.logs()).length
    const nth = h.fake.requestsTo('/backend-api/codex/responses').length + 1
    const controller = new AbortController()
    const pending = fetch(`${h.t.url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-5.5', input: 'hi' }),
      signal: controller.signal,
    }).catch(() => undefined)
    await h.fake.waitForRequest('/backend-api/codex/responses', { count: nth })
    await new Promise((r) => setTimeout(r, 100))
    controller.abort()
    await pending
    await h.fake.waitForAbort(5000)
    await expect.poll(async () => (await h.logs()).length, { timeout: 5000 }).toBe(before + 1)
    expect((await h.logs()).at(-1)).toMatchObject({ status: 'error', error_code: 'client_closed' })
  })

  it('rejects bad input with 400 and the param, in the OpenAI envelope', async () => {
    const cases: Array<[unknown, string]> = [
      [{ model: 'gpt-5.5', input: 'x', store: true }, 'store'],
      [{ input: 'x' }, 'model'],
      [{ model: 'gpt-5.5', input: 42 }, 'input'],
      [{ model: 'gpt-5.5', input: 'x', include: ['nope'] }, 'include.0'],
      [{ model: 'gpt-5.5', input: 'x', tools: [{ type: 'file_search' }] }, 'tools.0.type'],
      [{ model: 'gpt-5.5', input: 'x', previous_response_id: 'r1' }, 'previous_response_id'],
    ]
    for (const [body, param] of cases) {
      const res = await fetch(`${h.t.url}/v1/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      expect(res.status, JSON.stringify(body)).toBe(400)
      const json = (await res.json()) as { error: Record<string, unknown> }
      expect(json.error).toMatchObject({ type: 'invalid_request_error', param })
    }
    const malformed = await fetch(`${h.t.url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"model": ',
    })
    expect(malformed.status).toBe(400)
    expect(((await malformed.json()) as { error: { type: string } }).error.type).toBe(
      'invalid_request_error',
    )
  })

  it('lists models through the SDK, hiding models not supported in the API', async () => {
    const ids: string[] = []
    for await (const m of h.sdk().models.list()) ids.push(m.id)
    expect(ids.length).toBeGreaterThan(0)
    const codex = await fetch(`${h.t.url}/backend-api/codex/models`)
    const body = (await codex.json()) as { models: unknown[]; data: unknown[] }
    expect(body.models.length).toBe(body.data.length)
  })

  it('serves the upstream model list once fetched, without models hidden from the API', async () => {
    expect(await h.t.app.services.models.refresh(Date.now())).toBe(true)
    const ids: string[] = []
    for await (const m of h.sdk().models.list()) ids.push(m.id)
    const upstream = defaultModels() as Array<{
      slug: string
      supported_in_api?: boolean
      available_in_plans: string[]
    }>
    // The only account is on plus: a model its plan cannot use is not listed either.
    expect(ids.sort()).toEqual(
      upstream
        .filter((m) => m.supported_in_api !== false && m.available_in_plans.includes('plus'))
        .map((m) => m.slug)
        .sort(),
    )
    expect(upstream.some((m) => !m.available_in_plans.includes('plus'))).toBe(true)
    expect(upstream.some((m) => m.supported_in_api === false)).toBe(true)
    const call = h.fake.requestsTo('/backend-api/codex/models').at(-1)!
    expect(call.query['client_version']).toMatch(/^\d+\.\d+\.\d+$/)
  })

  it('compacts through /responses/compact and logs it', async () => {
    const before = (await h.logs()).length
    const res = await fetch(`${h.t.url}/backend-api/codex/responses/compact`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-5.5', input: 'hi', instructions: 'x' }),
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toHaveProperty('output')
    const rows = (await h.logs()).slice(before)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      endpoint: '/backend-api/codex/responses/compact',
      status: 'success',
    })
  })

  it('refuses a compact reply past 64 MB with a 502, stops reading it, and keeps the account', async () => {
    h.fake.scriptCompact(solo, { kind: 'huge', bytes: 4 * MAX_COMPACT_BYTES }, { kind: 'ok' })
    const res = await fetch(`${h.t.url}/backend-api/codex/responses/compact`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-5.5', input: 'hi', instructions: 'x' }),
    })
    expect(res.status).toBe(502)
    expect(await res.json()).toMatchObject({ error: { message: 'Upstream reply too large' } })
    // The upstream was cut off once the limit was passed, not read to its end.
    await expect
      .poll(() => h.fake.requestsTo('/backend-api/codex/responses/compact').at(-1)?.aborted)
      .toBe(true)
    // Not the account's fault: it is not cooled down, so the next request is served.
    const next = await fetch(`${h.t.url}/backend-api/codex/responses/compact`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-5.5', input: 'hi', instructions: 'x' }),
    })
    expect(next.status).toBe(200)
  })

  it('passes a client error from upstream through without failover', async () => {
    h.fake.scriptDefault({
      kind: 'http-error',
      status: 400,
      body: {
        error: {
          message: 'Unsupported model',
          type: 'invalid_request_error',
          code: 'model_not_found',
        },
      },
    })
    const res = await fetch(`${h.t.url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'nope', input: 'hi', stream: true }),
    })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('model_not_found')
    expect(h.fake.requestsTo('/backend-api/codex/responses')).toHaveLength(1)
    void usageLimitReached
  })
})
