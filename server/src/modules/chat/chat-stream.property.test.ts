import { PassThrough } from 'node:stream'
import { finished } from 'node:stream/promises'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fuzzParams } from '../../../test/support/fuzz.js'
import { hostileValue } from '../../../test/support/hostile-values.js'
import { AppError } from '../../errors/index.js'
import { parseJsonEvent, SseDecoder } from '../../upstream/sse-decoder.js'
import { ChatCompletionBuilder } from './chat-completion.js'
import { ChatSseSink, foldChatCompletion } from './chat-sinks.js'
import { ChatStreamTranslator } from './chat-stream.js'
import type { ChatCompletionChunk, ChatToolCall } from './chat-types.js'

// Random Responses streams with text, refusals and function calls (announced or not, arguments in
// deltas keyed by item id and/or output index, the rest only in `.done`), interleaved and cut into
// random chunks: streamed and folded Chat answers must carry every call whole.

type Event = Record<string, unknown>

const piece = fc.oneof(fc.string({ unit: 'binary', maxLength: 8 }), fc.json({ maxDepth: 1 }))
const output = fc.oneof(
  fc.record({
    kind: fc.constant('text' as const),
    refusal: fc.boolean(),
    deltas: fc.array(piece, { maxLength: 4 }),
  }),
  fc.record({
    kind: fc.constant('call' as const),
    callId: fc.string({ unit: 'binary', minLength: 1, maxLength: 10 }),
    name: fc.string({ unit: 'binary', minLength: 1, maxLength: 10 }),
    pieces: fc.array(piece, { maxLength: 5 }),
    /** How many pieces arrive as deltas; the rest only in the `.done` events. */
    streamed: fc.nat(),
    announced: fc.boolean(),
    keyedBy: fc.constantFrom('item', 'index', 'both'),
    argumentsDone: fc.boolean(),
  }),
)
type Output = typeof output extends fc.Arbitrary<infer T> ? T : never

const usage = { input_tokens: 5, output_tokens: 3, total_tokens: 8 }
const script = fc.record({
  outputs: fc.array(output, { maxLength: 5 }),
  /** Which output's next event goes next: the calls' deltas interleave. */
  order: fc.array(fc.nat(), { maxLength: 60 }),
  cuts: fc.array(fc.nat(), { maxLength: 10 }),
})

function eventsOf(o: Output, i: number): Event[] {
  const at = { output_index: i }
  if (o.kind === 'text') {
    const type = o.refusal ? 'response.refusal.delta' : 'response.output_text.delta'
    return o.deltas.map((delta) => ({ type, item_id: `msg_${i}`, ...at, delta }))
  }
  const id = `fc_${i}`
  const args = o.pieces.join('')
  const item = { id, type: 'function_call', call_id: o.callId, name: o.name }
  const key =
    o.keyedBy === 'index' ? at : o.keyedBy === 'item' ? { item_id: id } : { item_id: id, ...at }
  return [
    ...(o.announced
      ? [{ type: 'response.output_item.added', ...at, item: { ...item, arguments: '' } }]
      : []),
    ...o.pieces
      .slice(0, o.streamed % (o.pieces.length + 1))
      .map((delta) => ({ type: 'response.function_call_arguments.delta', ...key, delta })),
    ...(o.argumentsDone
      ? [{ type: 'response.function_call_arguments.done', ...key, arguments: args }]
      : []),
    { type: 'response.output_item.done', ...at, item: { ...item, arguments: args } },
  ]
}

/** The outputs' events merged in the scripted order, each output's own order kept. */
function interleave(lists: Event[][], order: number[]): Event[] {
  const queues = lists.map((l) => [...l]).filter((q) => q.length > 0)
  const out: Event[] = []
  for (let n = 0; queues.length > 0; n++) {
    const q = n < order.length ? order[n]! % queues.length : 0
    out.push(queues[q]!.shift()!)
    if (queues[q]!.length === 0) queues.splice(q, 1)
  }
  return out
}

interface Expected {
  events: Event[]
  calls: ChatToolCall[]
  /** Text and refusal deltas in stream order. */
  content: string
  refusal: string
}

function streamOf(s: { outputs: Output[]; order: number[] }): Expected {
  const events = [
    { type: 'response.created', response: { id: 'resp_1', model: 'gpt-x' } },
    ...interleave(s.outputs.map(eventsOf), s.order),
    { type: 'response.completed', response: { usage } },
  ]
  // A call takes its Chat index when first seen: announced, else at its `output_item.done`.
  const seen: number[] = []
  for (const e of events) {
    const i = e['output_index']
    const first =
      e['type'] === 'response.output_item.added' || e['type'] === 'response.output_item.done'
    if (first && typeof i === 'number' && s.outputs[i]?.kind === 'call' && !seen.includes(i))
      seen.push(i)
  }
  const calls = seen.map((i) => {
    const o = s.outputs[i] as Extract<Output, { kind: 'call' }>
    return {
      id: o.callId,
      type: 'function' as const,
      function: { name: o.name, arguments: o.pieces.join('') },
    }
  })
  const deltas = (type: string) =>
    events.map((e) => (e['type'] === type ? String(e['delta']) : '')).join('')
  return {
    events,
    calls,
    content: deltas('response.output_text.delta'),
    refusal: deltas('response.refusal.delta'),
  }
}

function bytesOf(events: Event[], cuts: number[]): Buffer[] {
  const bytes = Buffer.from(
    events.map((e) => `event: ${String(e['type'])}\ndata: ${JSON.stringify(e)}\n\n`).join(''),
  )
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)
  return [0, ...at].map((from, k) => bytes.subarray(from, at[k] ?? bytes.length))
}

const translator = () =>
  new ChatStreamTranslator({ id: 'chatcmpl-p', created: 1, model: 'gpt-x', includeUsage: true })

describe('Chat stream translation properties', () => {
  it('folds any chunking of a Responses stream into a completion whose tool calls match', () => {
    const prop = fc.property(script, (s) => {
      const { events, calls, content, refusal } = streamOf(s)
      const completion = foldChatCompletion(translator(), bytesOf(events, s.cuts))
      expect(completion.choices[0]).toEqual({
        index: 0,
        message: {
          role: 'assistant',
          content: content === '' && calls.length > 0 ? null : content,
          refusal: refusal || null,
          ...(calls.length > 0 ? { tool_calls: calls } : {}),
        },
        finish_reason: calls.length > 0 ? 'tool_calls' : 'stop',
        logprobs: null,
      })
      expect(completion.usage?.total_tokens).toBe(8)
    })
    fc.assert(prop, fuzzParams(200))
  })

  it('streams chunks a client folds by index into the same calls, id and name first', async () => {
    const prop = fc.asyncProperty(script, async (s) => {
      const { events, calls, content: expectedContent } = streamOf(s)
      const res = new PassThrough()
      const received: Buffer[] = []
      res.on('data', (b: Buffer) => received.push(b))
      const sink = new ChatSseSink(translator(), res)
      for (const chunk of bytesOf(events, s.cuts)) sink.write(chunk)
      sink.end()
      await finished(sink)
      const out = new SseDecoder().push(Buffer.concat(received))
      expect(out.at(-1)?.data).toBe('[DONE]')
      const folded: ChatToolCall[] = []
      let content = ''
      for (const e of out.slice(0, -1)) {
        const chunk = parseJsonEvent(e) as unknown as ChatCompletionChunk
        for (const { delta } of chunk.choices) {
          content += delta.content ?? ''
          for (const p of delta.tool_calls ?? []) {
            const known = folded[p.index]
            // The OpenAI SDK opens a call on its first piece: that one alone has id, type and name.
            expect(p.id !== undefined).toBe(!known)
            if (!known)
              folded[p.index] = {
                id: p.id!,
                type: p.type!,
                function: { name: p.function.name!, arguments: p.function.arguments },
              }
            else known.function.arguments += p.function.arguments
          }
        }
      }
      expect(folded).toEqual(calls)
      expect(content).toBe(expectedContent)
    })
    await fc.assert(prop, fuzzParams(100))
  })

  it('never throws on events of any shape; only a stream without an end fails the fold, as a 5xx', () => {
    const type = fc.constantFrom(
      'response.created',
      'response.output_text.delta',
      'response.refusal.delta',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
      'response.incomplete',
      'response.failed',
      'error',
    )
    const field = fc.constantFrom(
      'delta',
      'item',
      'item_id',
      'output_index',
      'arguments',
      'response',
      'error',
    )
    const anyValue = fc.oneof(
      hostileValue,
      fc.record(
        {
          type: fc.constant('function_call'),
          id: hostileValue,
          call_id: hostileValue,
          name: hostileValue,
          arguments: hostileValue,
        },
        { requiredKeys: ['type'] },
      ),
    )
    const event = fc
      .tuple(type, fc.dictionary(field, anyValue, { maxKeys: 4 }))
      .map(([t, rest]) => ({ ...rest, type: t }))
    const prop = fc.property(fc.array(event, { maxLength: 12 }), (events) => {
      // What foldChatCompletion does after decoding; the SSE decoding has its own properties.
      const t = translator()
      const builder = new ChatCompletionBuilder()
      for (const e of events) {
        for (const out of t.push(e)) {
          // The sink sends each output as JSON.
          JSON.stringify(out)
          builder.add(out)
        }
      }
      try {
        builder.build()
      } catch (err) {
        expect(err).toBeInstanceOf(AppError)
        expect((err as AppError).status).toBeGreaterThanOrEqual(502)
      }
    })
    fc.assert(prop, fuzzParams(200))
  })
})

describe('Chat stream translation regressions', () => {
  // Found by the property above: the extra fields of an upstream error went into the output as they
  // were, and the sink's JSON.stringify threw a RangeError on one nested 20,000 levels deep.
  it('drops error details that cannot be serialized, keeping message and code', () => {
    let detail: unknown = []
    for (let i = 0; i < 20_000; i++) detail = [detail]
    const out = translator().push({ type: 'error', error: { message: 'bad', code: 'c', detail } })
    expect(JSON.parse(JSON.stringify(out))).toEqual([
      { error: { message: 'bad', type: 'server_error', code: 'c', param: null } },
    ])
    const kept = translator().push({ type: 'error', error: { message: 'bad', detail: [1] } })
    expect(kept).toMatchObject([{ error: { message: 'bad', detail: [1] } }])
  })
})
