import { APIError, NotFoundError } from 'openai'
import type {
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions'
import type { FunctionDefinition } from 'openai/resources/shared'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'

// Client compatibility: the official `openai` Node SDK against codex-lb and the fake upstream.

const weatherTool: FunctionDefinition = {
  name: 'weather',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
}
const timeTool: FunctionDefinition = {
  name: 'time',
  parameters: { type: 'object', properties: { tz: { type: 'string' } }, required: ['tz'] },
}
const tools: ChatCompletionTool[] = [
  { type: 'function', function: weatherTool },
  { type: 'function', function: timeTool },
]

const twoCalls = {
  kind: 'tool-calls' as const,
  interleave: true,
  calls: [
    { name: 'weather', arguments: { city: 'Paris' }, callId: 'call_w' },
    { name: 'time', arguments: { tz: 'CET' }, callId: 'call_t' },
  ],
}

function upstreamBodies(h: ProxyHarness): Array<Record<string, unknown>> {
  return h.fake
    .requestsTo('/backend-api/codex/responses')
    .map((r) => r.body as Record<string, unknown>)
}

describe('client: openai SDK', () => {
  let h: ProxyHarness
  beforeAll(async () => {
    h = await startProxyHarness()
    await h.addAccount({ email: 'sdk@example.com' })
  })
  afterAll(async () => h.close())
  afterEach(() => h.fake.reset())

  it('streams a chat completion with include_usage', async () => {
    const stream = await h.sdk().chat.completions.create({
      model: 'gpt-5.5',
      messages: [{ role: 'user', content: 'say hi' }],
      stream: true,
      stream_options: { include_usage: true },
    })
    let text = ''
    let finish: string | null | undefined
    let usage: unknown
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? ''
      finish ??= chunk.choices[0]?.finish_reason
      if (chunk.usage) usage = chunk.usage
    }
    expect(text).toBe('Hi from fake upstream!')
    expect(finish).toBe('stop')
    expect(usage).toEqual({
      prompt_tokens: 42,
      completion_tokens: 7,
      total_tokens: 49,
      prompt_tokens_details: { cached_tokens: 10 },
      completion_tokens_details: { reasoning_tokens: 3 },
    })
  })

  it('answers a non-streaming chat completion', async () => {
    const res = await h.sdk().chat.completions.create({
      model: 'gpt-5.5',
      messages: [{ role: 'user', content: 'say hi' }],
    })
    expect(res.choices[0]?.message.content).toBe('Hi from fake upstream!')
    expect(res.choices[0]?.finish_reason).toBe('stop')
    expect(res.usage?.total_tokens).toBe(49)
  })

  it('streams two parallel tool calls into tool_calls[0] and [1] (stream helper)', async () => {
    h.fake.scriptDefault(twoCalls)
    const final = await h
      .sdk()
      .chat.completions.stream({
        model: 'gpt-5.5',
        messages: [{ role: 'user', content: 'weather and time in Paris?' }],
        tools,
        parallel_tool_calls: true,
      })
      .finalChatCompletion()
    const choice = final.choices[0]!
    expect(choice.finish_reason).toBe('tool_calls')
    expect(choice.message.tool_calls).toEqual([
      {
        id: 'call_w',
        type: 'function',
        function: { name: 'weather', arguments: '{"city":"Paris"}' },
      },
      { id: 'call_t', type: 'function', function: { name: 'time', arguments: '{"tz":"CET"}' } },
    ])
    expect(upstreamBodies(h)[0]).toMatchObject({
      tools: [
        { type: 'function', name: 'weather', strict: false },
        { type: 'function', name: 'time', strict: false },
      ],
      parallel_tool_calls: true,
    })
  })

  it('returns both tool calls without streaming', async () => {
    h.fake.scriptDefault(twoCalls)
    const res = await h.sdk().chat.completions.create({
      model: 'gpt-5.5',
      messages: [{ role: 'user', content: 'weather and time?' }],
      tools,
    })
    const calls = res.choices[0]?.message.tool_calls ?? []
    expect(
      calls.map((c) =>
        c.type === 'function' ? [c.id, c.function.name, c.function.arguments] : c.type,
      ),
    ).toEqual([
      ['call_w', 'weather', '{"city":"Paris"}'],
      ['call_t', 'time', '{"tz":"CET"}'],
    ])
    expect(res.choices[0]?.message.content).toBeNull()
  })

  it('carries a multi-turn tool conversation to the upstream as function_call items', async () => {
    h.fake.scriptDefault(twoCalls, { kind: 'ok', text: 'Sunny, 14:00.' })
    const sdk = h.sdk()
    const messages: ChatCompletionMessageParam[] = [
      { role: 'system', content: 'use tools' },
      { role: 'user', content: 'weather and time?' },
    ]
    const first = await sdk.chat.completions.create({ model: 'gpt-5.5', messages, tools })
    const assistant = first.choices[0]!.message
    messages.push(assistant)
    for (const call of assistant.tool_calls ?? []) {
      messages.push({ role: 'tool', tool_call_id: call.id, content: `result of ${call.id}` })
    }
    const second = await sdk.chat.completions.create({ model: 'gpt-5.5', messages, tools })
    expect(second.choices[0]?.message.content).toBe('Sunny, 14:00.')
    expect(upstreamBodies(h)[1]).toMatchObject({
      instructions: 'use tools',
      input: [
        { type: 'message', role: 'user' },
        {
          type: 'function_call',
          call_id: 'call_w',
          name: 'weather',
          arguments: '{"city":"Paris"}',
        },
        { type: 'function_call', call_id: 'call_t', name: 'time', arguments: '{"tz":"CET"}' },
        { type: 'function_call_output', call_id: 'call_w', output: 'result of call_w' },
        { type: 'function_call_output', call_id: 'call_t', output: 'result of call_t' },
      ],
    })
  })

  it('asks for JSON schema output and gets parseable JSON back', async () => {
    h.fake.scriptDefault({ kind: 'ok', deltas: ['{"city":', '"Paris",', '"temp":14}'] })
    const schema = {
      type: 'object',
      properties: { city: { type: 'string' }, temp: { type: 'number' } },
      required: ['city', 'temp'],
      additionalProperties: false,
    }
    const res = await h.sdk().chat.completions.parse({
      model: 'gpt-5.5',
      messages: [{ role: 'user', content: 'weather as JSON' }],
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'weather', schema, strict: true },
      },
    })
    expect(res.choices[0]?.message.parsed).toEqual({ city: 'Paris', temp: 14 })
    expect(upstreamBodies(h)[0]).toMatchObject({
      text: { format: { type: 'json_schema', name: 'weather', schema, strict: true } },
    })
  })

  it('throws an APIError when the stream fails mid-way', async () => {
    h.fake.scriptDefault({ kind: 'failed', code: 'server_is_overloaded', afterEvents: 6 })
    const stream = await h.sdk().chat.completions.create({
      model: 'gpt-5.5',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    })
    const read = async () => {
      for await (const _chunk of stream) {
        // drain
      }
    }
    await expect(read()).rejects.toBeInstanceOf(APIError)
  })

  it('retrieves a listed model, and gets NotFoundError for an unknown one', async () => {
    const listed = (await h.sdk().models.list()).data.find((m) => m.id === 'gpt-5.5')
    const model = await h.sdk().models.retrieve('gpt-5.5')
    expect(model).toMatchObject({ id: 'gpt-5.5', object: 'model', owned_by: 'codex-lb' })
    expect({ ...model, created: 0 }).toEqual({ ...listed, created: 0 })
    const err = await h
      .sdk()
      .models.retrieve('no-such-model')
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(NotFoundError)
    expect(err).toMatchObject({ status: 404, code: 'model_not_found', param: 'model' })
  })

  it('maps a bad request to BadRequestError with the param', async () => {
    const err = await h
      .sdk()
      .chat.completions.create({
        model: 'gpt-5.5',
        messages: [{ role: 'tool', tool_call_id: 'nope', content: 'x' }],
      })
      .catch((e: unknown) => e)
    expect(err).toMatchObject({ status: 400, param: 'messages[0].tool_call_id' })
  })

  it('runs a tool call through responses.stream() and non-streaming responses.create()', async () => {
    h.fake.scriptDefault(twoCalls)
    const request = {
      model: 'gpt-5.5',
      input: 'weather and time?',
      tools: [weatherTool, timeTool].map((fn) => ({
        type: 'function' as const,
        name: fn.name,
        parameters: fn.parameters ?? null,
        strict: false,
      })),
    }
    const streamed = await h.sdk().responses.stream(request).finalResponse()
    const created = await h.sdk().responses.create(request)
    for (const response of [streamed, created]) {
      const calls = response.output.flatMap((item) =>
        item.type === 'function_call' ? [[item.call_id, item.name, item.arguments]] : [],
      )
      expect(calls).toEqual([
        ['call_w', 'weather', '{"city":"Paris"}'],
        ['call_t', 'time', '{"tz":"CET"}'],
      ])
    }
  })
})
