import { PassThrough } from 'node:stream'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { SseDecoder } from '../../upstream/sse-decoder.js'
import { SseFramer } from '../../upstream/sse-framer.js'
import { AttemptRecorder } from '../proxy/attempt-recorder.js'
import { StreamObserver } from '../proxy/stream-observer.js'
import { relayStream } from '../proxy/stream-relay.js'
import type { OpenedStream } from '../proxy/upstream-attempt.js'
import { ChatSseSink } from './chat-sinks.js'
import { ChatStreamTranslator } from './chat-stream.js'

const clock = { now: () => 1_700_000_000_000 }
const facts = {
  requestId: 'req_1',
  endpoint: '/v1/chat/completions',
  model: 'gpt-5.5',
  reasoningEffort: null,
  apiKeyId: null,
  clientIp: null,
  userAgent: null,
}
const EVENTS = [
  { type: 'response.created', response: { id: 'resp_1', model: 'gpt-5.5' } },
  { type: 'response.output_text.delta', item_id: 'm', output_index: 0, delta: 'Hi' },
  { type: 'response.output_text.delta', item_id: 'm', output_index: 0, delta: ' there' },
  {
    type: 'response.completed',
    response: { id: 'resp_1', usage: { input_tokens: 3, output_tokens: 2 } },
  },
]

/** The stream cut into pieces that tear events apart, as socket reads would. */
function chunks(): Buffer[] {
  const text = EVENTS.map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`).join('')
  const bytes = Buffer.from(text)
  const out: Buffer[] = []
  for (let i = 0; i < bytes.length; i += 70) out.push(bytes.subarray(i, i + 70))
  return out
}

function opened(pieces: Buffer[]): OpenedStream {
  return {
    attempt: new AttemptRecorder(facts, 'acc_1', clock, { enqueue: () => undefined }),
    response: {} as OpenedStream['response'],
    framer: new SseFramer(1 << 20),
    observer: new StreamObserver(),
    head: [],
    headEvents: [],
    chunks: (async function* () {
      yield* pieces
    })(),
    abort: new AbortController(),
    detach: () => undefined,
    overflow: undefined,
  }
}

afterEach(() => vi.restoreAllMocks())

describe('a streamed Chat Completions relay', () => {
  it('decodes each upstream chunk once and parses each event once (observer and translation share it)', async () => {
    const pieces = chunks()
    const res = new PassThrough()
    const body: Buffer[] = []
    res.on('data', (b: Buffer) => body.push(b))
    const translator = new ChatStreamTranslator({
      id: 'chatcmpl-1',
      created: 1,
      model: 'gpt-5.5',
      includeUsage: false,
    })
    const push = vi.spyOn(SseDecoder.prototype, 'push')
    const parse = vi.spyOn(JSON, 'parse')
    const stream = opened(pieces)
    const result = await relayStream(stream, new ChatSseSink(translator, res), 'req_1', clock, {
      warn: () => undefined,
    })
    expect(push).toHaveBeenCalledTimes(pieces.length)
    expect(parse).toHaveBeenCalledTimes(EVENTS.length)
    push.mockRestore()
    parse.mockRestore()
    expect(result).toEqual({
      usage: { inputTokens: 3, cachedInputTokens: 0, outputTokens: 2, reasoningTokens: 0 },
      completed: true,
    })
    const text = Buffer.concat(body).toString()
    const chunksOut = text
      .split('\n\n')
      .filter((l) => l.startsWith('data: {'))
      .map((l) => JSON.parse(l.slice(6)) as { choices: Array<{ delta: { content?: string } }> })
    expect(chunksOut.map((c) => c.choices[0]?.delta.content ?? null)).toEqual([
      '',
      'Hi',
      ' there',
      null,
    ])
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true)
  })
})
