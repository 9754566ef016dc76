import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import type { NewRequestLogRow } from '../../db/schema.js'
import { SseFramer } from '../../upstream/sse-framer.js'
import { AttemptRecorder } from './attempt-recorder.js'
import { relayStream } from './stream-relay.js'
import { StreamObserver } from './stream-observer.js'
import type { OpenedStream } from './upstream-attempt.js'

const clock = { now: () => 1_000 }
const log = { warn: () => undefined }

/** An opened upstream stream whose body is `chunks`, as upstream-attempt hands it over. */
function opened(chunks: Buffer[]): { stream: OpenedStream; rows: NewRequestLogRow[] } {
  const rows: NewRequestLogRow[] = []
  const attempt = new AttemptRecorder(
    {
      requestId: 'req_1',
      endpoint: '/backend-api/codex/responses',
      model: 'gpt-5.5',
      reasoningEffort: null,
      apiKeyId: null,
      clientIp: null,
      userAgent: null,
    },
    'acc_1',
    clock,
    { enqueue: (r) => rows.push(r) },
  )
  async function* body() {
    for (const chunk of chunks) yield chunk
  }
  const stream = {
    attempt,
    response: { status: 200, headers: {}, chunks: body() },
    framer: new SseFramer(1024 * 1024),
    observer: new StreamObserver(),
    head: [],
    headEvents: [],
    chunks: body(),
    abort: new AbortController(),
    detach: () => undefined,
    overflow: undefined,
  } satisfies OpenedStream
  return { stream, rows }
}

const event = (n: number) =>
  Buffer.from(
    `event: response.output_text.delta\ndata: ${JSON.stringify({
      type: 'response.output_text.delta',
      delta: `${n}`.padEnd(1000, '.'),
    })}\n\n`,
  )
const completed = Buffer.from(
  `event: response.completed\ndata: ${JSON.stringify({
    type: 'response.completed',
    response: { id: 'resp_1', usage: { input_tokens: 3, output_tokens: 5 } },
  })}\n\n`,
)

describe('relayStream', () => {
  it('waits for a slow client to drain: every byte arrives in order, never a backlog of the stream', async () => {
    const chunks = [...Array.from({ length: 300 }, (_, n) => event(n)), completed]
    const { stream, rows } = opened(chunks)
    const received: Buffer[] = []
    let mostBuffered = 0
    const client = new Writable({
      highWaterMark: 4096,
      write(chunk: Buffer, _encoding, done) {
        received.push(chunk)
        setImmediate(done)
      },
    })
    const write = client.write.bind(client)
    client.write = ((chunk: Buffer) => {
      const more = write(chunk)
      mostBuffered = Math.max(mostBuffered, client.writableLength)
      return more
    }) as typeof client.write

    const result = await relayStream(stream, client, 'req_1', clock, log)
    stream.attempt.finish()

    expect(result.completed).toBe(true)
    expect(Buffer.concat(received).equals(Buffer.concat(chunks))).toBe(true)
    // A relay that ignored write()'s false would queue the whole stream (~310 KB) here.
    expect(mostBuffered).toBeLessThan(4096 + 2 * 1100)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ status: 'success', output_tokens: 5 })
  })

  it('a client gone while it is being waited on ends the attempt as client_closed', async () => {
    const { stream, rows } = opened(Array.from({ length: 50 }, (_, n) => event(n)))
    const client = new Writable({
      highWaterMark: 1024,
      write(_chunk, _encoding, _done) {
        // Never drains: the client stopped reading, then goes away.
        setImmediate(() => client.destroy())
      },
    })
    const result = await relayStream(stream, client, 'req_1', clock, log)
    stream.attempt.finish()
    expect(result.completed).toBe(false)
    expect(stream.abort.signal.aborted).toBe(true)
    expect(rows[0]).toMatchObject({ error_code: 'client_closed' })
  })
})
