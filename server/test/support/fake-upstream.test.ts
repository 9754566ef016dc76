import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  DEFAULT_TEXT,
  DEFAULT_USAGE,
  readSse,
  startFakeUpstream,
  usageLimitReached,
  type FakeAccount,
  type FakeUpstream,
} from './fake-upstream.js'

let fake: FakeUpstream

beforeAll(async () => {
  fake = await startFakeUpstream()
})
afterAll(async () => fake.close())
beforeEach(() => fake.reset())

async function errorOf(res: Response): Promise<Record<string, unknown>> {
  return ((await res.json()) as { error: Record<string, unknown> }).error
}

function postResponses(token: string, body: unknown = { model: 'gpt-5.5', input: 'hi' }) {
  return fetch(`${fake.backendBaseUrl}/codex/responses`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
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
    const { events, json, types, text } = await readSse(res)
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
    expect((await readSse(await postResponses(account.accessToken))).text).toBe('second')
    expect((await readSse(await postResponses(account.accessToken))).text).toBe('second')
  })

  it('sends awkward splits that still decode to the same events', async () => {
    fake.script(account, { kind: 'chunked', awkward: true, lineEnding: '\r\n', text: 'café 😀 ok' })
    const { types, text, reads } = await readSse(await postResponses(account.accessToken))
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
    const a = await readSse(await postResponses(account.accessToken))
    expect(a.types).toEqual(['response.failed'])
    expect(a.json[0]?.response).toMatchObject({ error: { code: 'rate_limit_exceeded' } })
    const b = await readSse(await postResponses(account.accessToken))
    expect(b.json).toEqual([expect.objectContaining({ type: 'error' })])
    const c = await readSse(await postResponses(account.accessToken))
    expect(c.types).toEqual(FULL_SEQUENCE.slice(0, -1))
    const d = await readSse(await postResponses(account.accessToken))
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
    const { json } = await readSse(await postResponses(account.accessToken))
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

  it('delays the first byte, and records an abort during the wait', async () => {
    fake.script(
      account,
      { kind: 'slow-first-byte', ms: 150 },
      { kind: 'slow-first-byte', ms: 10_000 },
    )
    const started = Date.now()
    const res = await postResponses(account.accessToken)
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)
    expect((await readSse(res)).text).toBe(DEFAULT_TEXT)

    const controller = new AbortController()
    const pending = fetch(`${fake.backendBaseUrl}/codex/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${account.accessToken}` },
      body: '{}',
      signal: controller.signal,
    }).catch((err: unknown) => err)
    await fake.waitForRequest('/backend-api/codex/responses', { count: 2 })
    controller.abort()
    expect(await pending).toBeInstanceOf(Error)
    expect(await fake.waitForAbort()).toMatchObject({ aborted: true, status: undefined })
  })

  it('stalls for a while and then completes', async () => {
    fake.script(account, { kind: 'stall', ms: 100, afterEvents: 3 })
    const started = Date.now()
    const { types } = await readSse(await postResponses(account.accessToken))
    expect(Date.now() - started).toBeGreaterThanOrEqual(90)
    expect(types).toEqual(FULL_SEQUENCE)
  })

  it('can send data-only events with a [DONE] marker, or raw bytes', async () => {
    fake.script(
      account,
      { kind: 'ok', dataOnly: true, doneMarker: true, deltas: ['a', 'b'], text: 'ab' },
      { kind: 'raw', headers: { 'content-type': 'text/plain' }, chunks: ['he', 'llo'] },
    )
    const { events, text } = await readSse(await postResponses(account.accessToken))
    expect(events.every((e) => e.event === undefined)).toBe(true)
    expect(events.at(-1)?.data).toBe('[DONE]')
    expect(text).toBe('ab')
    expect(await (await postResponses(account.accessToken)).text()).toBe('hello')
  })

  it('close() ends streams that are still stalled', async () => {
    const other = await startFakeUpstream()
    const acc = other.addAccount()
    other.script(acc, { kind: 'stall' })
    const res = await fetch(`${other.backendBaseUrl}/codex/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${acc.accessToken}` },
      body: '{}',
    })
    const body = res.text().catch((err: unknown) => err)
    await other.close()
    expect(await body).toBeInstanceOf(Error)
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
        body: new Uint8Array(bytes),
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
