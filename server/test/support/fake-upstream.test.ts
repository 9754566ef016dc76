import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { SseDecoder, parseJsonEvent } from '../../src/upstream/sse-decoder.js'
import {
  DEFAULT_TEXT,
  DEFAULT_USAGE,
  startFakeUpstream,
  usageLimitReached,
  type FakeAccount,
  type FakeUpstream,
} from './fake-upstream.js'
import { AUTH_CLAIM, decodeJwtPayload } from './jwt.js'

let fake: FakeUpstream

interface TokenJson {
  access_token: string
  refresh_token: string
  id_token: string
}

async function errorOf(res: Response): Promise<Record<string, unknown>> {
  return ((await res.json()) as { error: Record<string, unknown> }).error
}

beforeAll(async () => {
  fake = await startFakeUpstream()
})
afterAll(async () => fake.close())
beforeEach(() => fake.reset())

function postResponses(token: string, body: unknown = { model: 'gpt-5.5', input: 'hi' }) {
  return fetch(`${fake.backendBaseUrl}/codex/responses`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
}

/** Reads the SSE body with our decoder, one network read at a time. */
async function readEvents(res: Response) {
  const decoder = new SseDecoder()
  const events = []
  const reader = res.body!.getReader()
  let reads = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    reads += 1
    events.push(...decoder.push(value))
  }
  events.push(...decoder.end())
  const json = events.map((e) => parseJsonEvent(e) ?? {})
  const text = json
    .filter((e) => e.type === 'response.output_text.delta')
    .map((e) => e.delta)
    .join('')
  return { events, json, types: json.map((e) => e.type), text, reads }
}

function refresh(refreshToken: string) {
  return fetch(`${fake.authBaseUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'refresh_token',
      client_id: 'app_x',
      refresh_token: refreshToken,
      scope: 'openid profile email',
    }),
  })
}

const FULL_SEQUENCE = [
  'response.created',
  'response.in_progress',
  'response.output_item.added',
  'response.content_part.added',
  'response.output_text.delta',
  'response.output_text.delta',
  'response.output_text.delta',
  'response.output_text.delta',
  'response.output_text.done',
  'response.content_part.done',
  'response.output_item.done',
  'response.completed',
]

describe('fake upstream: responses', () => {
  let account: FakeAccount
  beforeAll(() => {
    account = fake.addAccount({ email: 'a@example.com', planType: 'pro' })
  })

  it('streams the full Responses event sequence by default', async () => {
    const res = await postResponses(account.accessToken)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const { events, json, types, text } = await readEvents(res)
    expect(types).toEqual(FULL_SEQUENCE)
    expect(events.every((e, n) => e.event === types[n])).toBe(true)
    expect(json.map((e) => e.sequence_number)).toEqual(FULL_SEQUENCE.map((_, n) => n))
    expect(text).toBe(DEFAULT_TEXT)
    const completed = json.at(-1)?.response as Record<string, unknown>
    expect(completed).toMatchObject({ status: 'completed', model: 'gpt-5.5', usage: DEFAULT_USAGE })
    const recorded = fake.requestsTo('/backend-api/codex/responses')
    expect(recorded).toHaveLength(1)
    expect(recorded[0]).toMatchObject({
      account,
      aborted: false,
      status: 200,
      body: { input: 'hi' },
    })
  })

  it('answers 401 token_expired for an unknown token', async () => {
    const res = await postResponses('nope')
    expect(res.status).toBe(401)
    expect((await errorOf(res)).code).toBe('token_expired')
  })

  it('plays a script whose last behaviour repeats', async () => {
    fake.script(account, usageLimitReached({ planType: 'pro' }), { kind: 'ok', text: 'second' })
    const first = await postResponses(account.accessToken)
    expect(first.status).toBe(429)
    expect(await errorOf(first)).toMatchObject({
      type: 'usage_limit_reached',
      plan_type: 'pro',
    })
    expect((await readEvents(await postResponses(account.accessToken))).text).toBe('second')
    expect((await readEvents(await postResponses(account.accessToken))).text).toBe('second')
  })

  it('sends awkward splits that still decode to the same events', async () => {
    fake.script(account, { kind: 'chunked', awkward: true, lineEnding: '\r\n', text: 'café 😀 ok' })
    const { types, text, reads } = await readEvents(await postResponses(account.accessToken))
    expect(types).toEqual(
      FULL_SEQUENCE.filter((t, n) => t !== 'response.output_text.delta' || n < 7),
    )
    expect(text).toBe('café 😀 ok')
    expect(reads).toBeGreaterThan(FULL_SEQUENCE.length)
  })

  it('fails on the first event, or mid-stream, or not at all', async () => {
    fake.script(
      account,
      { kind: 'first-event-failed', code: 'rate_limit_exceeded' },
      { kind: 'first-event-failed', code: 'server_error', event: 'error' },
      { kind: 'no-terminal' },
      { kind: 'incomplete' },
    )
    const a = await readEvents(await postResponses(account.accessToken))
    expect(a.types).toEqual(['response.failed'])
    expect(a.json[0]?.response).toMatchObject({ error: { code: 'rate_limit_exceeded' } })
    const b = await readEvents(await postResponses(account.accessToken))
    expect(b.json).toEqual([expect.objectContaining({ type: 'error' })])
    const c = await readEvents(await postResponses(account.accessToken))
    expect(c.types).toEqual(FULL_SEQUENCE.slice(0, -1))
    const d = await readEvents(await postResponses(account.accessToken))
    expect(d.types.at(-1)).toBe('response.incomplete')
  })

  it('drops the connection mid-stream', async () => {
    fake.script(account, { kind: 'drop-mid-stream', afterEvents: 3 })
    const res = await postResponses(account.accessToken)
    expect(res.status).toBe(200)
    await expect(res.text()).rejects.toThrow()
    expect(fake.requestsTo('/backend-api/codex/responses')[0]?.aborted).toBe(false)
  })

  it('streams parallel tool calls with argument deltas', async () => {
    fake.script(account, {
      kind: 'tool-calls',
      interleave: true,
      calls: [
        { name: 'exec_command', arguments: { cmd: 'echo one' } },
        { name: 'exec_command', arguments: '{"cmd":"echo two"}', callId: 'call_b' },
      ],
    })
    const { json } = await readEvents(await postResponses(account.accessToken))
    const done = json.filter((e) => e.type === 'response.output_item.done').map((e) => e.item)
    expect(done).toEqual([
      expect.objectContaining({ type: 'function_call', arguments: '{"cmd":"echo one"}' }),
      expect.objectContaining({ call_id: 'call_b', arguments: '{"cmd":"echo two"}' }),
    ])
    const deltas = json.filter((e) => e.type === 'response.function_call_arguments.delta')
    expect(deltas.map((e) => e.output_index).slice(0, 2)).toEqual([0, 1])
    expect(json.at(-1)?.response).toMatchObject({ output: done })
  })

  it('records a client abort while the stream stalls', async () => {
    fake.script(account, { kind: 'stall', afterEvents: 1 })
    const controller = new AbortController()
    const res = await fetch(`${fake.backendBaseUrl}/codex/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${account.accessToken}` },
      body: '{}',
      signal: controller.signal,
    })
    const reader = res.body!.getReader()
    await reader.read()
    controller.abort()
    const aborted = await fake.waitForAbort()
    expect(aborted).toMatchObject({ path: '/backend-api/codex/responses', aborted: true, account })
  })

  it('decodes gzip and zstd request bodies', async () => {
    const body = JSON.stringify({ model: 'gpt-5.5', input: 'zipped' })
    for (const [encoding, bytes] of [
      ['gzip', gzipSync(body)],
      ['zstd', zstdRawFrame(Buffer.from(body))],
    ] as const) {
      const res = await fetch(`${fake.backendBaseUrl}/codex/responses`, {
        method: 'POST',
        headers: { authorization: `Bearer ${account.accessToken}`, 'content-encoding': encoding },
        body: bytes,
      })
      await res.text()
      expect(fake.requests.at(-1)?.body).toEqual({ model: 'gpt-5.5', input: 'zipped' })
    }
  })
})

/** A single-segment zstd frame holding one raw block (RFC 8878 §3.1.1); enough to test decoding. */
function zstdRawFrame(content: Buffer): Buffer {
  if (content.length > 255) throw new Error('keep it short')
  const blockHeader = 1 | (content.length << 3)
  return Buffer.concat([
    Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x20, content.length]),
    Buffer.from([blockHeader & 0xff, (blockHeader >> 8) & 0xff, (blockHeader >> 16) & 0xff]),
    content,
  ])
}

describe('fake upstream: usage, models, compact', () => {
  it('serves usage per account, raw errors, and models', async () => {
    const account = fake.addAccount({ planType: 'team' })
    const auth = { authorization: `Bearer ${account.accessToken}` }
    fake.setUsage(account, { primaryUsedPercent: 12, secondary: { usedPercent: 40, resetAt: 2e9 } })
    const usage = await (await fetch(`${fake.backendBaseUrl}/wham/usage`, { headers: auth })).json()
    expect(usage).toMatchObject({
      plan_type: 'team',
      rate_limit: {
        primary_window: { used_percent: 12, limit_window_seconds: 18000 },
        secondary_window: { used_percent: 40, reset_at: 2e9, limit_window_seconds: 604800 },
      },
      credits: { has_credits: false, unlimited: false, balance: '0' },
    })
    fake.setUsage(account, { status: 403, body: { detail: 'deactivated' } })
    expect((await fetch(`${fake.backendBaseUrl}/wham/usage`, { headers: auth })).status).toBe(403)

    const models = await fetch(`${fake.backendBaseUrl}/codex/models?client_version=0.169.0`, {
      headers: auth,
    })
    const list = ((await models.json()) as { models: Array<Record<string, unknown>> }).models
    expect(list.map((m) => m.slug)).toContain('gpt-5.5')
    expect(list.filter((m) => m.supported_in_api === false)).toHaveLength(1)
    expect(fake.requests.at(-1)?.query).toEqual({ client_version: '0.169.0' })

    const compact = await fetch(`${fake.backendBaseUrl}/codex/responses/compact`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ model: 'gpt-5.5', instructions: '', input: [] }),
    })
    expect(await compact.json()).toMatchObject({ usage: DEFAULT_USAGE, output: expect.any(Array) })
  })
})

describe('fake upstream: oauth', () => {
  it('rotates tokens on refresh and rejects the old ones', async () => {
    const account = fake.addAccount({ email: 'r@example.com', chatgptAccountId: 'acc-r' })
    expect(account.authJson).toMatchObject({
      OPENAI_API_KEY: null,
      tokens: { access_token: account.accessToken, account_id: 'acc-r' },
    })
    expect(decodeJwtPayload(account.idToken)).toMatchObject({
      email: 'r@example.com',
      [AUTH_CLAIM]: { chatgpt_account_id: 'acc-r', chatgpt_plan_type: 'plus' },
    })
    const res = await refresh(account.refreshToken)
    expect(res.status).toBe(200)
    const tokens = (await res.json()) as TokenJson
    expect(tokens.refresh_token).not.toBe(account.refreshToken)
    expect((await postResponses(account.accessToken)).status).toBe(401)
    expect((await postResponses(tokens.access_token)).status).toBe(200)
    const reused = await refresh(account.refreshToken)
    expect(reused.status).toBe(401)
    expect((await errorOf(reused)).code).toBe('refresh_token_reused')
    expect(fake.refreshCount(account)).toBe(2)
    expect(fake.tokens(account)).toMatchObject({ accessToken: tokens.access_token, generation: 1 })
  })

  it('fails refresh permanently or transiently as scripted', async () => {
    const account = fake.addAccount()
    fake.scriptRefresh(account, { kind: 'http-error', status: 500 }, { kind: 'ok' })
    expect((await refresh(account.refreshToken)).status).toBe(500)
    expect((await refresh(account.refreshToken)).status).toBe(200)
    const other = fake.addAccount()
    fake.failRefresh(other, 'refresh_token_invalidated')
    const res = await refresh(other.refreshToken)
    expect(res.status).toBe(401)
    expect((await errorOf(res)).code).toBe('refresh_token_invalidated')
  })

  it('runs the device flow and exchanges its code as a form body', async () => {
    const account = fake.addAccount({ email: 'device@example.com' })
    fake.scriptDevice({ account, pendingPolls: 2, slowDownPolls: 1 })
    const post = (path: string, body: unknown) =>
      fetch(`${fake.authBaseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    const started = await post('/api/accounts/deviceauth/usercode', { client_id: 'x' })
    const start = (await started.json()) as { device_auth_id: string; user_code: string }
    expect(start).toMatchObject({ device_auth_id: expect.any(String), interval: '0' })
    const poll = () =>
      post('/api/accounts/deviceauth/token', {
        device_auth_id: start.device_auth_id,
        user_code: start.user_code,
      })
    expect((await errorOf(await poll())).code).toBe('slow_down')
    expect((await poll()).status).toBe(403)
    expect((await poll()).status).toBe(403)
    const ok = (await (await poll()).json()) as {
      authorization_code: string
      code_verifier: string
    }
    expect(ok).toMatchObject({
      authorization_code: expect.any(String),
      code_verifier: expect.any(String),
    })
    const exchange = await fetch(`${fake.authBaseUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: 'x',
        code: ok.authorization_code,
        code_verifier: ok.code_verifier,
        redirect_uri: `${fake.authBaseUrl}/deviceauth/callback`,
      }),
    })
    expect(exchange.status).toBe(200)
    const tokens = (await exchange.json()) as TokenJson
    expect(decodeJwtPayload(tokens.id_token).email).toBe('device@example.com')
    expect((await postResponses(tokens.access_token)).status).toBe(200)
    expect(fake.requests.at(-2)).toMatchObject({ body: { grant_type: 'authorization_code' } })
  })
})
