import { describe, expect, it } from 'vitest'
import { ChatStreamTranslator } from './chat-stream.js'
import type { ChatStreamOutput } from './chat-types.js'

type Event = Record<string, unknown>

const usage = {
  input_tokens: 42,
  input_tokens_details: { cached_tokens: 10 },
  output_tokens: 7,
  output_tokens_details: { reasoning_tokens: 3 },
  total_tokens: 49,
}
const chatUsage = {
  prompt_tokens: 42,
  completion_tokens: 7,
  total_tokens: 49,
  prompt_tokens_details: { cached_tokens: 10 },
  completion_tokens_details: { reasoning_tokens: 3 },
}

const created: Event = { type: 'response.created', response: { id: 'resp_1', model: 'gpt-5.5-x' } }
const completed: Event = { type: 'response.completed', response: { status: 'completed', usage } }
const text = (delta: string, outputIndex = 0): Event => ({
  type: 'response.output_text.delta',
  item_id: `msg_${outputIndex}`,
  output_index: outputIndex,
  delta,
})
const callAdded = (n: number, name: string): Event => ({
  type: 'response.output_item.added',
  output_index: n,
  item: { id: `fc_${n}`, type: 'function_call', call_id: `call_${n}`, name, arguments: '' },
})
const argDelta = (n: number, delta: string, byItem = true): Event => ({
  type: 'response.function_call_arguments.delta',
  ...(byItem ? { item_id: `fc_${n}` } : {}),
  output_index: n,
  delta,
})
const callDone = (n: number, name: string, args: string): Event[] => [
  {
    type: 'response.function_call_arguments.done',
    item_id: `fc_${n}`,
    output_index: n,
    arguments: args,
  },
  {
    type: 'response.output_item.done',
    output_index: n,
    item: { id: `fc_${n}`, type: 'function_call', call_id: `call_${n}`, name, arguments: args },
  },
]

function run(events: Event[], includeUsage = true): ChatStreamOutput[] {
  const t = new ChatStreamTranslator({
    id: 'chatcmpl-r1',
    created: 100,
    model: 'gpt-5.5',
    includeUsage,
  })
  return events.flatMap((e) => t.push(e))
}

/** What each output says, without the envelope every chunk repeats. */
function summary(out: ChatStreamOutput[]): unknown[] {
  return out.map((o) => {
    if ('error' in o) return { error: o.error.code }
    if (o.choices.length === 0) return { usage: o.usage }
    const [choice] = o.choices
    return choice?.finish_reason ? { finish: choice.finish_reason } : choice?.delta
  })
}

describe('ChatStreamTranslator', () => {
  it.each([
    [
      'text: role first, deltas as they come, finish, then usage',
      [created, { type: 'response.in_progress' }, text('Hi'), text(' there'), completed],
      [
        { role: 'assistant', content: '' },
        { content: 'Hi' },
        { content: ' there' },
        { finish: 'stop' },
        { usage: chatUsage },
      ],
    ],
    [
      'interleaved parallel calls: stable indexes, id and name once, arguments once each',
      [
        created,
        callAdded(0, 'weather'),
        callAdded(1, 'time'),
        argDelta(0, '{"city":'),
        argDelta(1, '{"tz":'),
        argDelta(0, '"Paris"}'),
        argDelta(1, '"CET"}'),
        ...callDone(0, 'weather', '{"city":"Paris"}'),
        ...callDone(1, 'time', '{"tz":"CET"}'),
        completed,
      ],
      [
        { role: 'assistant', content: '' },
        {
          tool_calls: [
            {
              index: 0,
              id: 'call_0',
              type: 'function',
              function: { name: 'weather', arguments: '' },
            },
          ],
        },
        {
          tool_calls: [
            { index: 1, id: 'call_1', type: 'function', function: { name: 'time', arguments: '' } },
          ],
        },
        { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] },
        { tool_calls: [{ index: 1, function: { arguments: '{"tz":' } }] },
        { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] },
        { tool_calls: [{ index: 1, function: { arguments: '"CET"}' } }] },
        { finish: 'tool_calls' },
        { usage: chatUsage },
      ],
    ],
    [
      'a call after a text item is still index 0; deltas found by output_index alone',
      [
        text('ok'),
        callAdded(1, 'f'),
        argDelta(1, '{}', false),
        ...callDone(1, 'f', '{}'),
        completed,
      ],
      [
        { role: 'assistant', content: 'ok' },
        {
          tool_calls: [
            { index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '' } },
          ],
        },
        { tool_calls: [{ index: 0, function: { arguments: '{}' } }] },
        { finish: 'tool_calls' },
        { usage: chatUsage },
      ],
    ],
    [
      'arguments that no delta carried come once from the done events',
      [callAdded(0, 'f'), ...callDone(0, 'f', '{"a":1}'), completed],
      [
        {
          role: 'assistant',
          tool_calls: [
            { index: 0, id: 'call_0', type: 'function', function: { name: 'f', arguments: '' } },
          ],
        },
        { tool_calls: [{ index: 0, function: { arguments: '{"a":1}' } }] },
        { finish: 'tool_calls' },
        { usage: chatUsage },
      ],
    ],
    [
      'a call announced only by output_item.done',
      [callDone(0, 'f', '{}')[1]!, completed],
      [
        {
          role: 'assistant',
          tool_calls: [
            { index: 0, id: 'call_0', type: 'function', function: { name: 'f', arguments: '' } },
          ],
        },
        { tool_calls: [{ index: 0, function: { arguments: '{}' } }] },
        { finish: 'tool_calls' },
        { usage: chatUsage },
      ],
    ],
    [
      'incomplete at max_output_tokens → length',
      [
        text('a'),
        {
          type: 'response.incomplete',
          response: { incomplete_details: { reason: 'max_output_tokens' }, usage },
        },
      ],
      [{ role: 'assistant', content: 'a' }, { finish: 'length' }, { usage: chatUsage }],
    ],
    [
      'incomplete by content filter → content_filter',
      [
        {
          type: 'response.incomplete',
          response: { incomplete_details: { reason: 'content_filter' } },
        },
      ],
      [{ finish: 'content_filter' }],
    ],
    [
      'response.failed → an error object, and nothing after it',
      [
        text('a'),
        {
          type: 'response.failed',
          response: { error: { code: 'server_is_overloaded', message: 'busy' } },
        },
        text('b'),
        completed,
      ],
      [{ role: 'assistant', content: 'a' }, { error: 'server_is_overloaded' }],
    ],
    [
      'an error event → an error object',
      [{ type: 'error', error: { type: 'invalid_request_error', message: 'bad' } }],
      [{ error: 'invalid_request_error' }],
    ],
    [
      'reasoning and unknown events are ignored; refusals travel as refusal',
      [
        { type: 'response.reasoning_summary_text.delta', delta: 'think' },
        { type: 'response.refusal.delta', delta: 'no' },
        completed,
      ],
      [{ role: 'assistant', refusal: 'no' }, { finish: 'stop' }, { usage: chatUsage }],
    ],
  ])('%s', (_name, events, expected) => {
    expect(summary(run(events))).toEqual(expected)
  })

  it('stamps every chunk with one id, created and the upstream model; usage null until the end', () => {
    const out = run([created, text('x'), completed])
    for (const chunk of out) {
      expect(chunk).toMatchObject({
        id: 'chatcmpl-r1',
        object: 'chat.completion.chunk',
        created: 100,
        model: 'gpt-5.5-x',
      })
    }
    expect(out.slice(0, -1).map((c) => ('usage' in c ? c.usage : 'absent'))).toEqual([
      null,
      null,
      null,
    ])
  })

  it('leaves usage out entirely without include_usage', () => {
    const out = run([text('x'), completed], false)
    expect(out).toHaveLength(2)
    for (const chunk of out) expect(chunk).not.toHaveProperty('usage')
  })

  it('keeps extra fields of an upstream error (plan_type, resets_at)', () => {
    const [out] = run([
      {
        type: 'response.failed',
        response: { error: { code: 'usage_limit_reached', message: 'm', plan_type: 'plus' } },
      },
    ])
    expect(out).toEqual({
      error: {
        code: 'usage_limit_reached',
        message: 'm',
        plan_type: 'plus',
        type: 'server_error',
        param: null,
      },
    })
  })
})
