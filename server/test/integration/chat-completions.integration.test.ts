import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { DashboardClient } from '../support/dashboard-client.js'
import { readSse, usageLimitReached } from '../support/fake-upstream.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'

// Wire-level checks of /v1/chat/completions (the SDK suites live in test/clients/).

interface Chunk {
  id: string
  object: string
  model: string
  choices: Array<{
    delta: {
      role?: string
      content?: string
      tool_calls?: Array<{
        index: number
        id?: string
        function: { name?: string; arguments: string }
      }>
    }
    finish_reason: string | null
  }>
  usage?: Record<string, unknown> | null
  error?: Record<string, unknown>
}

const user = [{ role: 'user', content: 'hi' }]

function post(h: ProxyHarness, body: unknown, path = '/v1/chat/completions', headers = {}) {
  return fetch(`${h.t.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
}

async function chunksOf(res: Response): Promise<{ chunks: Chunk[]; done: boolean }> {
  const sse = await readSse(res)
  const done = sse.events.at(-1)?.data === '[DONE]'
  return { chunks: sse.json.slice(0, done ? -1 : undefined) as unknown as Chunk[], done }
}

function upstreamBody(h: ProxyHarness): Record<string, unknown> {
  return h.fake.requestsTo('/backend-api/codex/responses').at(-1)!.body as Record<string, unknown>
}

describe('proxy: /v1/chat/completions', () => {
  let h: ProxyHarness
  beforeAll(async () => {
    h = await startProxyHarness()
    await h.addAccount({ email: 'chat@example.com' })
  })
  afterAll(async () => h.close())
  afterEach(() => h.fake.reset())

  it('streams chunks with one id, the role first, usage last and [DONE], and logs one row', async () => {
    const before = (await h.logs()).length
    const res = await post(
      h,
      {
        model: 'gpt-5.5',
        messages: [{ role: 'system', content: 'be brief' }, ...user],
        stream: true,
        stream_options: { include_usage: true },
        max_tokens: 50,
        temperature: 0.3,
        reasoning_effort: 'low',
      },
      '/v1/chat/completions',
      { 'x-request-id': 'req-chat-1' },
    )
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const { chunks, done } = await chunksOf(res)
    expect(done).toBe(true)
    expect(new Set(chunks.map((c) => c.id))).toEqual(new Set(['chatcmpl-req-chat-1']))
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true)
    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant')
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')
    expect(text).toBe('Hi from fake upstream!')
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('stop')
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: {
        prompt_tokens: 42,
        completion_tokens: 7,
        total_tokens: 49,
        prompt_tokens_details: { cached_tokens: 10 },
        completion_tokens_details: { reasoning_tokens: 3 },
      },
    })
    const body = upstreamBody(h)
    expect(body).toMatchObject({
      model: 'gpt-5.5',
      instructions: 'be brief',
      input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }],
      reasoning: { effort: 'low' },
      stream: true,
      store: false,
    })
    for (const dropped of ['max_tokens', 'max_output_tokens', 'temperature', 'messages']) {
      expect(body).not.toHaveProperty(dropped)
    }
    const rows = (await h.logs()).slice(before)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      endpoint: '/v1/chat/completions',
      status: 'success',
      request_id: 'req-chat-1',
      reasoning_effort: 'low',
      input_tokens: 42,
      output_tokens: 7,
    })
  })

  it('answers one chat.completion without stream', async () => {
    const res = await post(h, { model: 'gpt-5.5', messages: user })
    expect(res.status).toBe(200)
    const body = (await res.json()) as Record<string, unknown>
    expect(body).toMatchObject({
      object: 'chat.completion',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hi from fake upstream!' },
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 42, completion_tokens: 7, total_tokens: 49 },
    })
    expect(String(body['id'])).toMatch(/^chatcmpl-/)
  })

  it('streams interleaved parallel calls on indexes 0 and 1, each argument once', async () => {
    h.fake.scriptDefault({
      kind: 'tool-calls',
      interleave: true,
      calls: [
        { name: 'weather', arguments: { city: 'Paris' }, callId: 'call_w' },
        { name: 'time', arguments: { tz: 'Europe/Paris' }, callId: 'call_t' },
      ],
    })
    const res = await post(h, { model: 'gpt-5.5', messages: user, stream: true })
    const { chunks } = await chunksOf(res)
    const calls = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? [])
    const byIndex = (i: number) => calls.filter((c) => c.index === i)
    expect(byIndex(0)[0]).toMatchObject({ id: 'call_w', function: { name: 'weather' } })
    expect(byIndex(1)[0]).toMatchObject({ id: 'call_t', function: { name: 'time' } })
    expect(calls.filter((c) => c.id !== undefined)).toHaveLength(2)
    expect(
      byIndex(0)
        .map((c) => c.function.arguments)
        .join(''),
    ).toBe('{"city":"Paris"}')
    expect(
      byIndex(1)
        .map((c) => c.function.arguments)
        .join(''),
    ).toBe('{"tz":"Europe/Paris"}')
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('tool_calls')
  })

  it('translates upstream bytes split inside CRLF and UTF-8, a few bytes per read', async () => {
    h.fake.scriptDefault({
      kind: 'tool-calls',
      text: 'héllo 😀',
      calls: [{ name: 'f', arguments: { q: 'ü' }, callId: 'call_f' }],
      awkward: true,
      chunkSize: 3,
      lineEnding: '\r\n',
    })
    const { chunks } = await chunksOf(
      await post(h, { model: 'gpt-5.5', messages: user, stream: true }),
    )
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('héllo 😀')
    const args = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? [])
    expect(args.map((c) => c.function.arguments).join('')).toBe('{"q":"ü"}')
  })

  it('says length when the upstream stopped at its output cap', async () => {
    h.fake.scriptDefault({ kind: 'incomplete', reason: 'max_output_tokens' })
    const res = await post(h, { model: 'gpt-5.5', messages: user })
    const body = (await res.json()) as { choices: Array<{ finish_reason: string }> }
    expect(body.choices[0]!.finish_reason).toBe('length')
  })

  it('ends a stream that fails mid-way with an error object and [DONE], and logs the error', async () => {
    h.fake.scriptDefault({ kind: 'failed', code: 'server_is_overloaded', afterEvents: 6 })
    const before = (await h.logs()).length
    const res = await post(h, { model: 'gpt-5.5', messages: user, stream: true })
    const { chunks, done } = await chunksOf(res)
    expect(done).toBe(true)
    expect(chunks.at(-1)!.error).toMatchObject({ code: 'server_is_overloaded' })
    expect(chunks.slice(0, -1).some((c) => c.choices[0]?.delta.content)).toBe(true)
    const rows = (await h.logs()).slice(before)
    expect(rows).toMatchObject([{ status: 'error', error_code: 'server_is_overloaded' }])
  })

  it('reports a dropped upstream in-band instead of truncating silently', async () => {
    h.fake.scriptDefault({ kind: 'drop-mid-stream', afterEvents: 5 })
    const res = await post(h, { model: 'gpt-5.5', messages: user, stream: true })
    const { chunks, done } = await chunksOf(res)
    expect(done).toBe(true)
    expect(['upstream_error', 'stream_incomplete']).toContain(chunks.at(-1)!.error?.['code'])
  })

  it('answers 502 when a non-streaming request fails mid-way', async () => {
    h.fake.scriptDefault({ kind: 'failed', code: 'server_is_overloaded', afterEvents: 4 })
    const res = await post(h, { model: 'gpt-5.5', messages: user })
    expect(res.status).toBe(502)
    const body = (await res.json()) as { error: Record<string, unknown> }
    expect(body.error).toMatchObject({ code: 'server_is_overloaded', type: 'server_error' })
  })

  it('aborts the upstream when the client leaves mid-stream, and logs client_closed', async () => {
    h.fake.scriptDefault({ kind: 'stall', afterEvents: 4 })
    const before = (await h.logs()).length
    const controller = new AbortController()
    const res = await fetch(`${h.t.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-5.5', messages: user, stream: true }),
      signal: controller.signal,
    })
    await res.body!.getReader().read()
    controller.abort()
    await h.fake.waitForAbort(5000)
    await expect.poll(async () => (await h.logs()).length, { timeout: 5000 }).toBe(before + 1)
    expect((await h.logs()).at(-1)).toMatchObject({ status: 'error', error_code: 'client_closed' })
  })

  it.each([
    [{ messages: user }, 'model'],
    [{ model: 'gpt-5.5', messages: [{ role: 'robot', content: 'x' }] }, 'messages[0].role'],
    [{ model: 'gpt-5.5', messages: [{ role: 'user', content: 7 }] }, 'messages[0].content'],
    [
      {
        model: 'gpt-5.5',
        messages: [...user, { role: 'tool', tool_call_id: 'call_x', content: 'r' }],
      },
      'messages[1].tool_call_id',
    ],
    [
      {
        model: 'gpt-5.5',
        messages: user,
        response_format: { type: 'json_schema', json_schema: { name: 'x', schema: [] } },
      },
      'response_format.json_schema.schema',
    ],
    [{ model: 'gpt-5.5', messages: user, response_format: 'xml' }, 'response_format'],
    [{ model: 'gpt-5.5', messages: user, n: 3 }, 'n'],
  ])('rejects %j with 400 and param %s, before reaching upstream', async (body, param) => {
    const res = await post(h, body)
    expect(res.status).toBe(400)
    const json = (await res.json()) as { error: Record<string, unknown> }
    expect(json.error).toMatchObject({ type: 'invalid_request_error', param })
    expect(h.fake.requestsTo('/backend-api/codex/responses')).toHaveLength(0)
  })

  it('answers 400, not 500, to a body that is not JSON', async () => {
    const res = await fetch(`${h.t.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"model": ',
    })
    expect(res.status).toBe(400)
  })

  it('is not served on the Codex wire', async () => {
    const res = await post(
      h,
      { model: 'gpt-5.5', messages: user },
      '/backend-api/codex/chat/completions',
    )
    expect(res.status).toBe(404)
  })

  it('accepts messages instead of input on /v1/responses, coerced like Chat', async () => {
    const res = await post(
      h,
      {
        model: 'gpt-5.5',
        instructions: 'base',
        messages: [
          { role: 'developer', content: 'extra' },
          { role: 'user', content: 'hi' },
          { role: 'assistant', content: 'hello' },
          { role: 'user', content: [{ type: 'text', text: 'again' }] },
        ],
      },
      '/v1/responses',
    )
    expect(res.status).toBe(200)
    expect(((await res.json()) as { object: string }).object).toBe('response')
    expect(upstreamBody(h)).toMatchObject({
      instructions: 'base\nextra',
      input: [
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'hello' }] },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'again' }] },
      ],
    })
    expect(upstreamBody(h)).not.toHaveProperty('messages')
    const bad = await post(h, { model: 'gpt-5.5', messages: [{ role: 'x' }] }, '/v1/responses')
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: { param: string } }).error.param).toBe(
      'messages[0].role',
    )
  })

  it('relays an upstream 400 before any byte in the OpenAI envelope, streaming or not', async () => {
    h.fake.scriptDefault({ kind: 'http-error', status: 400 })
    for (const stream of [true, false]) {
      const res = await post(h, { model: 'gpt-5.5', messages: user, stream })
      expect(res.status).toBe(400)
      expect(res.headers.get('content-type')).toMatch(/^application\/json/)
      const body = (await res.json()) as { error: Record<string, unknown> }
      expect(body.error).toMatchObject({
        type: 'invalid_request_error',
        message: 'Fake upstream error 400',
      })
    }
  })

  it('maps an exhausted pool to 429 in the OpenAI envelope before any byte', async () => {
    h.fake.scriptDefault(usageLimitReached({ planType: 'pro' }))
    const res = await post(h, { model: 'gpt-5.5', messages: user, stream: true })
    expect(res.status).toBe(429)
    const body = (await res.json()) as { error: Record<string, unknown> }
    expect(body.error).toMatchObject({ type: 'usage_limit_reached', plan_type: 'pro' })
    // Last on purpose: the only account is now rate-limited.
  })
})

describe('proxy: /v1/chat/completions with API keys and without accounts', () => {
  let h: ProxyHarness
  beforeAll(async () => {
    h = await startProxyHarness()
  })
  afterAll(async () => h.close())

  it('answers 503 no_accounts when there is no account', async () => {
    const res = await post(h, { model: 'gpt-5.5', messages: user })
    expect(res.status).toBe(503)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('no_accounts')
  })

  it('settles a streamed chat against the API key, like /v1/responses', async () => {
    await h.addAccount({ email: 'keyed@example.com' })
    const api = new DashboardClient(h.t.url)
    const key = (
      await api.post('/api/api-keys/', {
        name: 'chat',
        limits: [{ limitType: 'total_tokens', limitWindow: 'daily', maxValue: 100_000 }],
      })
    ).body as { id: string; key: string }
    await api.put('/api/settings', {
      stickyThreadsEnabled: false,
      preferEarlierResetAccounts: false,
      apiKeyAuthEnabled: true,
    })
    expect((await post(h, { model: 'gpt-5.5', messages: user })).status).toBe(401)
    const res = await post(
      h,
      { model: 'gpt-5.5', messages: user, stream: true },
      '/v1/chat/completions',
      { authorization: `Bearer ${key.key}` },
    )
    expect((await chunksOf(res)).done).toBe(true)
    const listed = (await api.get('/api/api-keys/')).body as Array<{
      id: string
      limits: Array<{ currentValue: number }>
    }>
    expect(listed.find((k) => k.id === key.id)!.limits[0]!.currentValue).toBe(49)
    expect((await h.logs()).at(-1)).toMatchObject({ api_key_id: key.id, status: 'success' })
  })
})
