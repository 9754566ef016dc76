import { describe, expect, it } from 'vitest'
import {
  DeviceCodeResponseSchema,
  OAuthTokenResponseSchema,
  UsagePayloadSchema,
  isTerminalEvent,
  parseModelsPayload,
  parseResponsesEvent,
  parseUpstreamError,
} from './wire-types.js'

const usage = {
  input_tokens: 42,
  input_tokens_details: { cached_tokens: 10 },
  output_tokens: 7,
  output_tokens_details: { reasoning_tokens: 3 },
  total_tokens: 49,
}

describe('parseResponsesEvent', () => {
  it('narrows response.completed with usage and keeps extra keys', () => {
    const event = parseResponsesEvent({
      type: 'response.completed',
      sequence_number: 9,
      response: { id: 'resp_1', status: 'completed', usage, output: [], extra: 1 },
    })
    expect(event?.type).toBe('response.completed')
    if (event?.type !== 'response.completed') throw new Error('unreachable')
    expect(isTerminalEvent(event)).toBe(true)
    expect(event.response.usage?.input_tokens_details?.cached_tokens).toBe(10)
    expect(event.response).toMatchObject({ extra: 1 })
  })

  it('reads null usage (response.created) as undefined', () => {
    const event = parseResponsesEvent({
      type: 'response.created',
      response: { id: 'r', status: 'in_progress', usage: null, error: null },
    })
    expect(event).toMatchObject({ type: 'response.created', response: { id: 'r' } })
    if (event?.type !== 'response.created') throw new Error('unreachable')
    expect(event.response.usage).toBeUndefined()
    expect(isTerminalEvent(event)).toBe(false)
  })

  it.each([
    [
      'response.failed error',
      {
        type: 'response.failed',
        response: { error: { code: 'rate_limit_exceeded', message: 'm' } },
      },
      { type: 'response.failed', response: { error: { code: 'rate_limit_exceeded' } } },
    ],
    [
      'error event',
      { type: 'error', error: { type: 'server_error', code: 'x', message: 'boom' } },
      { type: 'error', error: { code: 'x', message: 'boom' } },
    ],
    [
      'text delta',
      { type: 'response.output_text.delta', delta: 'Hi', output_index: 0 },
      { delta: 'Hi' },
    ],
    [
      'output item',
      { type: 'response.output_item.added', output_index: 1, item: { type: 'function_call' } },
      { item: { type: 'function_call' } },
    ],
  ])('%s', (_name, json, expected) => {
    expect(parseResponsesEvent(json)).toMatchObject(expected)
  })

  it.each([
    ['unknown type', { type: 'response.reasoning_summary_text.delta', delta: 'x' }],
    ['delta without text', { type: 'response.output_text.delta' }],
    ['completed without response', { type: 'response.completed' }],
    ['not an object', '[DONE]'],
  ])('returns undefined for %s', (_name, json) => {
    expect(parseResponsesEvent(json)).toBeUndefined()
  })
})

describe('parseUpstreamError', () => {
  it('keeps usage-limit metadata and drops malformed optional fields', () => {
    const error = parseUpstreamError({
      error: {
        type: 'usage_limit_reached',
        message: 'The usage limit has been reached',
        plan_type: 'plus',
        resets_at: 1767612327,
        resets_in_seconds: 'soon',
      },
    })
    expect(error).toMatchObject({
      type: 'usage_limit_reached',
      plan_type: 'plus',
      resets_at: 1767612327,
    })
    expect(error?.resets_in_seconds).toBeUndefined()
  })

  it.each([[{ detail: 'Not Found' }], [{ error: 'invalid_grant' }], ['text'], [null]])(
    'is undefined without an error object: %j',
    (json) => {
      expect(parseUpstreamError(json)).toBeUndefined()
    },
  )
})

describe('usage, models and OAuth payloads', () => {
  it('parses /wham/usage leniently', () => {
    const parsed = UsagePayloadSchema.parse({
      plan_type: 'plus',
      rate_limit: {
        primary_window: { used_percent: 12, reset_at: 1735689600, limit_window_seconds: 18000 },
        secondary_window: null,
      },
      credits: { has_credits: true, unlimited: false, balance: '12.5' },
    })
    expect(parsed.rate_limit?.primary_window?.used_percent).toBe(12)
    expect(parsed.rate_limit?.secondary_window).toBeUndefined()
    expect(parsed.credits?.balance).toBe('12.5')
    expect(UsagePayloadSchema.parse({}).rate_limit).toBeUndefined()
  })

  it('skips model entries without a slug', () => {
    const models = parseModelsPayload({
      models: [{ slug: 'gpt-5.5', supported_in_api: true }, { slug: '' }, { display_name: 'x' }],
    })
    expect(models?.map((m) => m.slug)).toEqual(['gpt-5.5'])
    expect(parseModelsPayload({ data: [] })).toBeUndefined()
  })

  it('requires all three OAuth tokens', () => {
    const tokens = { access_token: 'a', refresh_token: 'r', id_token: 'i', expires_in: 10 }
    expect(OAuthTokenResponseSchema.safeParse(tokens).success).toBe(true)
    expect(OAuthTokenResponseSchema.safeParse({ ...tokens, id_token: '' }).success).toBe(false)
  })

  it('accepts a digit-string device interval', () => {
    const parsed = DeviceCodeResponseSchema.parse({
      device_auth_id: 'd',
      user_code: 'AB',
      interval: '5',
    })
    expect(parsed.interval).toBe(5)
  })
})
