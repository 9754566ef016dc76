import { describe, expect, it } from 'vitest'
import { AppError } from '../../errors/index.js'
import { parseResponsesRequest } from '../proxy/responses-request.js'
import { translateChatRequest } from './chat-request.js'

const base = { model: 'gpt-5.5', messages: [{ role: 'user', content: 'hi' }] }
const userInput = [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }]

function paramOf(raw: unknown): string | undefined {
  try {
    translateChatRequest(raw)
  } catch (err) {
    if (err instanceof AppError && err.status === 400) return err.param
    throw err
  }
  throw new Error('expected a 400')
}

const schema = {
  type: 'object',
  properties: { city: { type: 'string' } },
  required: ['city'],
  additionalProperties: false,
}

describe('translateChatRequest', () => {
  it('builds a minimal Responses body with empty instructions', () => {
    expect(translateChatRequest(base)).toEqual({
      responses: { model: 'gpt-5.5', instructions: '', input: userInput },
      stream: false,
      includeUsage: true,
    })
  })

  it.each([
    ['stream without include_usage', { stream: true }, { stream: true, includeUsage: false }],
    [
      'stream with include_usage',
      { stream: true, stream_options: { include_usage: true } },
      { stream: true, includeUsage: true },
    ],
  ])('%s', (_name, extra, expected) => {
    expect(translateChatRequest({ ...base, ...extra })).toMatchObject(expected)
  })

  it.each([
    [
      'function tools keep strict, default it to false and drop null fields',
      {
        tools: [
          {
            type: 'function',
            function: { name: 'a', description: null, parameters: schema, strict: true },
          },
          { type: 'function', function: { name: 'b', description: 'B', parameters: null } },
        ],
        tool_choice: { type: 'function', function: { name: 'a' } },
        parallel_tool_calls: true,
      },
      {
        tools: [
          { type: 'function', name: 'a', parameters: schema, strict: true },
          { type: 'function', name: 'b', description: 'B', strict: false },
        ],
        tool_choice: { type: 'function', name: 'a' },
        parallel_tool_calls: true,
      },
    ],
    ['tool_choice strings', { tool_choice: 'required' }, { tool_choice: 'required' }],
    [
      'json_schema format with name, schema and strict',
      {
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'weather', schema, strict: true },
        },
        verbosity: 'low',
      },
      {
        text: {
          format: { type: 'json_schema', name: 'weather', schema, strict: true },
          verbosity: 'low',
        },
      },
    ],
    [
      'json_object format',
      { response_format: { type: 'json_object' } },
      { text: { format: { type: 'json_object' } } },
    ],
    ['text format', { response_format: { type: 'text' } }, { text: { format: { type: 'text' } } }],
    ['reasoning effort', { reasoning_effort: 'high' }, { reasoning: { effort: 'high' } }],
    [
      'cache key and service tier',
      { prompt_cache_key: 'k', service_tier: 'priority' },
      { prompt_cache_key: 'k', service_tier: 'priority' },
    ],
  ])('%s', (_name, extra, expected) => {
    const { responses } = translateChatRequest({ ...base, ...extra })
    expect(responses).toEqual({ model: 'gpt-5.5', instructions: '', input: userInput, ...expected })
  })

  it('drops caps, sampling hints, bookkeeping and unknown fields instead of forwarding them', () => {
    const { responses } = translateChatRequest({
      ...base,
      max_tokens: 10,
      max_completion_tokens: 10,
      temperature: 0.2,
      top_p: 1,
      presence_penalty: 0,
      frequency_penalty: 0,
      seed: 7,
      user: 'u',
      metadata: { a: 'b' },
      stream_options: { include_obfuscation: false },
      something_new: true,
      n: 1,
      logprobs: false,
      stop: [],
      store: false,
      modalities: ['text'],
    })
    expect(responses).toEqual({ model: 'gpt-5.5', instructions: '', input: userInput })
  })

  it.each([
    [null, 'body'],
    [{ messages: base.messages }, 'model'],
    [{ model: 'm' }, 'messages'],
    [{ ...base, n: 2 }, 'n'],
    [{ ...base, logprobs: true }, 'logprobs'],
    [{ ...base, top_logprobs: 3 }, 'top_logprobs'],
    [{ ...base, audio: { voice: 'alloy', format: 'mp3' } }, 'audio'],
    [{ ...base, modalities: ['text', 'audio'] }, 'modalities'],
    [{ ...base, stop: ['\n'] }, 'stop'],
    [{ ...base, logit_bias: { '50256': -100 } }, 'logit_bias'],
    [{ ...base, functions: [{ name: 'f' }] }, 'functions'],
    [{ ...base, store: true }, 'store'],
    [{ ...base, stream: 'yes' }, 'stream'],
    [{ ...base, stream_options: { include_usage: 'yes' } }, 'stream_options.include_usage'],
    [{ ...base, tools: {} }, 'tools'],
    [{ ...base, tools: [{ type: 'web_search' }] }, 'tools[0].type'],
    [{ ...base, tools: [{ type: 'function' }] }, 'tools[0].function'],
    [{ ...base, tools: [{ type: 'function', function: {} }] }, 'tools[0].function.name'],
    [
      { ...base, tools: [{ type: 'function', function: { name: 'f', parameters: 'x' } }] },
      'tools[0].function.parameters',
    ],
    [
      {
        ...base,
        tools: [
          {
            type: 'function',
            function: { name: 'f', parameters: { type: 'object', properties: { a: 5 } } },
          },
        ],
      },
      'tools[0].function.parameters.properties.a',
    ],
    [{ ...base, tool_choice: 'sometimes' }, 'tool_choice'],
    [{ ...base, response_format: 'xml' }, 'response_format'],
    [{ ...base, response_format: { type: 'xml' } }, 'response_format.type'],
    [{ ...base, response_format: { type: 'json_schema' } }, 'response_format.json_schema'],
    [
      { ...base, response_format: { type: 'json_schema', json_schema: { name: 'a b', schema } } },
      'response_format.json_schema.name',
    ],
    [
      { ...base, response_format: { type: 'json_schema', json_schema: { name: 'a' } } },
      'response_format.json_schema.schema',
    ],
    [
      {
        ...base,
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'a', schema: { type: 'object', properties: { x: { type: 1 } } } },
        },
      },
      'response_format.json_schema.schema.properties.x.type',
    ],
    [
      {
        ...base,
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'a', schema: { type: 'object', required: 'x' } },
        },
      },
      'response_format.json_schema.schema.required',
    ],
    [
      {
        ...base,
        response_format: { type: 'json_schema', json_schema: { name: 'a', schema, strict: 'y' } },
      },
      'response_format.json_schema.strict',
    ],
    [{ ...base, verbosity: 'loud' }, 'verbosity'],
    [{ ...base, reasoning_effort: 3 }, 'reasoning_effort'],
  ])('rejects %j with param %s', (raw, param) => {
    expect(paramOf(raw)).toBe(param)
  })

  it('accepts boolean subschemas and tuple items from older drafts', () => {
    const legacy = { type: 'array', items: [{ type: 'string' }, true], additionalItems: false }
    const tools = [{ type: 'function', function: { name: 'f', parameters: legacy } }]
    expect(translateChatRequest({ ...base, tools }).responses['tools']).toEqual([
      { type: 'function', name: 'f', parameters: legacy, strict: false },
    ])
  })

  it('quotes client values in messages only briefly', () => {
    const role = 'x'.repeat(10_000)
    expect(() => translateChatRequest({ ...base, messages: [{ role }] })).toThrow(/^.{0,200}$/)
  })

  it('produces a body the Responses validator accepts and normalizes', () => {
    const chat = translateChatRequest({ ...base, reasoning_effort: 'low', prompt_cache_key: 'k' })
    const parsed = parseResponsesRequest(chat.responses)
    expect(parsed).toMatchObject({ model: 'gpt-5.5', reasoningEffort: 'low', promptCacheKey: 'k' })
    expect(parsed.body).toMatchObject({ stream: true, store: false, input: userInput })
  })
})
