import { PassThrough, type Writable } from 'node:stream'
import { finished } from 'node:stream/promises'
import { describe, expect, it } from 'vitest'
import { AppError } from '../../errors/index.js'
import { parseJsonEvent, SseDecoder } from '../../upstream/sse-decoder.js'
import { ChatSseSink, foldChatCompletion } from './chat-sinks.js'
import { ChatStreamTranslator } from './chat-stream.js'

const usage = {
  input_tokens: 42,
  input_tokens_details: { cached_tokens: 10 },
  output_tokens: 7,
  output_tokens_details: { reasoning_tokens: 3 },
  total_tokens: 49,
}

function sse(events: Array<Record<string, unknown>>): Buffer {
  const text = events
    .map((e) => `event: ${String(e['type'])}\r\ndata: ${JSON.stringify(e)}\r\n\r\n`)
    .join('')
  return Buffer.from(text)
}

/** Responses events with multi-byte text and two interleaved calls. */
const upstream = sse([
  { type: 'response.created', response: { id: 'resp_1', model: 'gpt-5.5' } },
  { type: 'response.output_text.delta', item_id: 'm', output_index: 0, delta: 'héllo ' },
  { type: 'response.output_text.delta', item_id: 'm', output_index: 0, delta: '😀' },
  {
    type: 'response.output_item.added',
    output_index: 1,
    item: { id: 'fc_a', type: 'function_call', call_id: 'call_a', name: 'a' },
  },
  {
    type: 'response.output_item.added',
    output_index: 2,
    item: { id: 'fc_b', type: 'function_call', call_id: 'call_b', name: 'b' },
  },
  { type: 'response.function_call_arguments.delta', item_id: 'fc_b', delta: '{"y"' },
  { type: 'response.function_call_arguments.delta', item_id: 'fc_a', delta: '{"x":1}' },
  { type: 'response.function_call_arguments.delta', item_id: 'fc_b', delta: ':2}' },
  { type: 'response.function_call_arguments.done', item_id: 'fc_a', arguments: '{"x":1}' },
  { type: 'response.function_call_arguments.done', item_id: 'fc_b', arguments: '{"y":2}' },
  { type: 'response.completed', response: { usage } },
])

interface Chunk {
  choices: Array<{
    delta: {
      content?: string
      tool_calls?: Array<{ index: number; function: { arguments: string } }>
    }
  }>
}

function translator(includeUsage: boolean) {
  return new ChatStreamTranslator({ id: 'chatcmpl-1', created: 1, model: 'gpt-5.5', includeUsage })
}

/** The bytes cut every `size` bytes, as reads off a socket would be. */
function split(bytes: Buffer, size: number): Buffer[] {
  const out: Buffer[] = []
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size))
  return out
}

async function writeSplit(sink: Writable, bytes: Buffer, size: number) {
  for (let i = 0; i < bytes.length; i += size) sink.write(bytes.subarray(i, i + size))
  sink.end()
  await finished(sink)
}

describe('ChatSseSink', () => {
  it.each([1, 3, 7, 64, 100_000])('translates bytes split every %i bytes', async (size) => {
    const dest = new PassThrough()
    const received: Buffer[] = []
    dest.on('data', (b: Buffer) => received.push(b))
    await writeSplit(new ChatSseSink(translator(true), dest), upstream, size)
    const events = new SseDecoder().push(Buffer.concat(received))
    expect(events.at(-1)?.data).toBe('[DONE]')
    const chunks = events.slice(0, -1).map((e) => parseJsonEvent(e) as unknown as Chunk)
    const deltas = chunks.flatMap((c) => c.choices.map((x) => x.delta))
    expect(deltas.map((d) => d.content ?? '').join('')).toBe('héllo 😀')
    const args = ['', '']
    for (const call of deltas.flatMap((d) => d.tool_calls ?? [])) {
      args[call.index] += call.function.arguments
    }
    expect(args).toEqual(['{"x":1}', '{"y":2}'])
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { total_tokens: 49 } })
  })

  it('gives up when the client goes away, so the relay sees a destroyed target', () => {
    const dest = new PassThrough()
    const sink = new ChatSseSink(translator(false), dest)
    dest.destroy()
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        expect(sink.destroyed).toBe(true)
        resolve()
      }),
    )
  })
})

describe('foldChatCompletion', () => {
  it('folds the stream into one completion with tool calls and usage', () => {
    expect(foldChatCompletion(translator(true), split(upstream, 5))).toEqual({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1,
      model: 'gpt-5.5',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'héllo 😀',
            refusal: null,
            tool_calls: [
              { id: 'call_a', type: 'function', function: { name: 'a', arguments: '{"x":1}' } },
              { id: 'call_b', type: 'function', function: { name: 'b', arguments: '{"y":2}' } },
            ],
          },
          finish_reason: 'tool_calls',
          logprobs: null,
        },
      ],
      usage: {
        prompt_tokens: 42,
        completion_tokens: 7,
        total_tokens: 49,
        prompt_tokens_details: { cached_tokens: 10 },
        completion_tokens_details: { reasoning_tokens: 3 },
      },
    })
  })

  it.each([
    ['an upstream failure is a 502 with its code', 'server_is_overloaded', 502],
    ['no accounts is a 503', 'no_accounts', 503],
  ])('%s', (_name, code, status) => {
    const failed = { type: 'response.failed', response: { error: { code, message: 'm' } } }
    let thrown: unknown
    try {
      foldChatCompletion(translator(true), split(sse([failed]), 10))
    } catch (err) {
      thrown = err
    }
    expect(thrown).toBeInstanceOf(AppError)
    expect(thrown).toMatchObject({ status, code, message: 'm' })
  })

  it('content is null when the turn holds only tool calls', () => {
    const events = [
      {
        type: 'response.output_item.done',
        output_index: 0,
        item: { id: 'fc', type: 'function_call', call_id: 'c', name: 'f', arguments: '{}' },
      },
      { type: 'response.completed', response: { usage } },
    ]
    const completion = foldChatCompletion(translator(true), [sse(events)])
    expect(completion.choices[0]?.message.content).toBeNull()
  })
})
