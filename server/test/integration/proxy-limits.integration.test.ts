import { deflateSync, gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readSse } from '../support/fake-upstream.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'

/** `{"model":"gpt-5.5","input":"zstd hello","stream":true}` compressed by the zstd CLI. */
const ZSTD_BODY = Buffer.from(
  'KLUv/QRYsQEAeyJtb2RlbCI6ImdwdC01LjUiLCJpbnB1dCI6InpzdGQgaGVsbG8iLCJzdHJlYW0iOnRydWV9UczsHw==',
  'base64',
)

async function postRaw(h: ProxyHarness, body: Buffer | string, headers: Record<string, string>) {
  return fetch(`${h.t.url}/backend-api/codex/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  })
}

describe('proxy: request bodies, stream limits and outages', () => {
  let h: ProxyHarness
  beforeAll(async () => {
    h = await startProxyHarness({
      env: {
        STREAM_IDLE_TIMEOUT_SECONDS: '0.3',
        MAX_SSE_EVENT_BYTES: '16384',
        MAX_BODY_BYTES: '65536',
        MAX_DECOMPRESSED_BODY_BYTES: '131072',
      },
    })
    await h.addAccount({ email: 'limits@example.com' })
  })
  afterAll(async () => h.close())

  it.each([
    ['gzip', gzipSync(JSON.stringify({ model: 'gpt-5.5', input: 'gzip hello' }))],
    ['deflate', deflateSync(JSON.stringify({ model: 'gpt-5.5', input: 'deflate hello' }))],
    ['zstd', ZSTD_BODY],
  ])('decodes %s request bodies before forwarding', async (encoding, body) => {
    const res = await postRaw(h, body, { 'content-encoding': encoding })
    expect(res.status).toBe(200)
    await readSse(res)
    const upstream = h.fake.requestsTo('/backend-api/codex/responses').at(-1)!
    expect(
      (upstream.body as { input: Array<{ content: Array<{ text: string }> }> }).input[0]!
        .content[0]!.text,
    ).toBe(`${encoding} hello`)
    expect(upstream.headers['content-encoding']).toBeUndefined()
  })

  it('answers 413 for a body over the cap, before and after decompression', async () => {
    const big = JSON.stringify({ model: 'gpt-5.5', input: 'x'.repeat(70_000) })
    const plain = await postRaw(h, big, {})
    expect(plain.status).toBe(413)
    expect(((await plain.json()) as { error: { code: string } }).error.code).toBe(
      'payload_too_large',
    )
    // 200 KB of text compresses to a few hundred bytes: only the decoded size can catch it.
    const bomb = gzipSync(JSON.stringify({ model: 'gpt-5.5', input: 'y'.repeat(200_000) }))
    expect(bomb.length).toBeLessThan(65536)
    const decoded = await postRaw(h, bomb, { 'content-encoding': 'gzip' })
    expect(decoded.status).toBe(413)
    expect(((await decoded.json()) as { error: { type: string } }).error.type).toBe(
      'invalid_request_error',
    )
  })

  it('rejects an unknown or corrupt encoding with 400', async () => {
    const unknown = await postRaw(h, '{}', { 'content-encoding': 'snappy' })
    expect(unknown.status).toBe(400)
    const corrupt = await postRaw(h, Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' })
    expect(corrupt.status).toBe(400)
  })

  it('passes keep-alive comments on at once, while the next event is still on its way', async () => {
    const ev = (type: string, extra: Record<string, unknown> = {}) =>
      `event: ${type}\ndata: ${JSON.stringify({ type, ...extra })}\n\n`
    h.fake.scriptDefault({
      kind: 'raw',
      headers: { 'content-type': 'text/event-stream' },
      chunkDelayMs: 250,
      chunks: [
        ev('response.created', { response: { id: 'r1' } }),
        ': keep-alive\n\n',
        ev('response.completed', { response: { id: 'r1', status: 'completed' } }),
      ],
    })
    const res = await postRaw(h, JSON.stringify({ model: 'gpt-5.5', input: 'hi' }), {})
    const reader = res.body!.getReader()
    const arrivals: Array<{ at: number; text: string }> = []
    const t0 = Date.now()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      arrivals.push({ at: Date.now() - t0, text: Buffer.from(value).toString() })
    }
    const ping = arrivals.find((a) => a.text.includes(': keep-alive'))
    const done = arrivals.find((a) => a.text.includes('response.completed'))
    expect(ping).toBeDefined()
    expect(done!.at - ping!.at).toBeGreaterThan(150)
    h.fake.reset()
  })

  it('ends a stalled stream with response.failed stream_idle_timeout', async () => {
    h.fake.scriptDefault({ kind: 'stall', afterEvents: 2 })
    const res = await postRaw(h, JSON.stringify({ model: 'gpt-5.5', input: 'hi' }), {})
    const sse = await readSse(res)
    const last = sse.json.at(-1) as { type: string; response: { error: { code: string } } }
    expect(last.type).toBe('response.failed')
    expect(last.response.error.code).toBe('stream_idle_timeout')
    h.fake.reset()
  })

  it('ends a stream with an oversized event with response.failed stream_event_too_large', async () => {
    h.fake.scriptDefault({ kind: 'ok', deltas: ['small', 'z'.repeat(40_000)] })
    const res = await postRaw(h, JSON.stringify({ model: 'gpt-5.5', input: 'hi' }), {})
    const sse = await readSse(res)
    const last = sse.json.at(-1) as { type: string; response: { error: { code: string } } }
    expect(last.response.error.code).toBe('stream_event_too_large')
    expect(sse.text).toBe('small')
    h.fake.reset()
  })
})

describe('proxy: database outage', () => {
  let h: ProxyHarness
  beforeAll(async () => {
    h = await startProxyHarness()
    await h.addAccount({ email: 'outage@example.com' })
  })
  afterAll(async () => h.close())

  it('keeps serving and writes the log rows later when the database is briefly unavailable', async () => {
    const db = h.t.database.db
    const before = (await h.logs()).length
    // Take the table away: inserts fail until it is back.
    await db.schema.alterTable('request_logs').renameTo('request_logs_away').execute()
    try {
      for (let i = 0; i < 3; i++) {
        const res = await h.sdk().responses.create({ model: 'gpt-5.5', input: 'during outage' })
        expect(res.output_text).toBe('Hi from fake upstream!')
      }
      await new Promise((r) => setTimeout(r, 300))
      expect(h.t.app.services.logWriter.stats.pending).toBe(3)
    } finally {
      await db.schema.alterTable('request_logs_away').renameTo('request_logs').execute()
    }
    await expect.poll(async () => (await h.logs()).length, { timeout: 15_000 }).toBe(before + 3)
  })
})
