import { createOpenAI } from '@ai-sdk/openai'
import { generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'

// Client compatibility: the Vercel `ai` SDK (its own SSE parser) on both OpenAI wires:
// `prov(model)` speaks Responses, `prov.chat(model)` Chat Completions.

type Wire = 'responses' | 'chat'

const weather = tool({
  description: 'Weather in a city',
  inputSchema: jsonSchema<{ city: string }>({
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  }),
  execute: async ({ city }) => `sunny in ${city}`,
})

const weatherCall = {
  kind: 'tool-calls' as const,
  calls: [{ name: 'weather', arguments: { city: 'Paris' }, callId: 'call_1' }],
}

describe.each<Wire>(['responses', 'chat'])('client: ai SDK over %s', (wire) => {
  let h: ProxyHarness
  let model: ReturnType<ReturnType<typeof createOpenAI>['chat']>
  const path = wire === 'chat' ? '/v1/chat/completions' : '/v1/responses'
  // store:false: without it the ai SDK refers back to earlier output by id (`item_reference`),
  // which a store-less upstream cannot resolve.
  const providerOptions = { openai: { store: false } }

  beforeAll(async () => {
    h = await startProxyHarness()
    await h.addAccount({ email: `ai-${wire}@example.com` })
    const prov = createOpenAI({ baseURL: `${h.t.url}/v1`, apiKey: 'sk-test' })
    model = wire === 'chat' ? prov.chat('gpt-5.5') : prov('gpt-5.5')
  })
  afterAll(async () => h.close())
  afterEach(() => h.fake.reset())

  const requests = () => h.fake.requestsTo('/backend-api/codex/responses')

  it('generateText returns text and usage', async () => {
    const result = await generateText({ model, prompt: 'say hi', providerOptions })
    expect(result.text).toBe('Hi from fake upstream!')
    expect(result.usage.inputTokens).toBe(42)
    expect(result.usage.outputTokens).toBe(7)
    expect(requests()).toHaveLength(1)
    // Each wire really took its own route through the proxy.
    expect((await h.logs()).at(-1)).toMatchObject({ endpoint: path, status: 'success' })
  })

  it('streamText streams text and reports usage', async () => {
    const result = streamText({ model, prompt: 'say hi', providerOptions })
    let text = ''
    for await (const piece of result.textStream) text += piece
    expect(text).toBe('Hi from fake upstream!')
    expect((await result.usage).totalTokens).toBe(49)
  })

  it('generateText runs a tool and sends its result back in a second step', async () => {
    h.fake.scriptDefault(weatherCall, { kind: 'ok', text: 'It is sunny in Paris.' })
    const result = await generateText({
      model,
      prompt: 'weather in Paris?',
      tools: { weather },
      stopWhen: stepCountIs(2),
      providerOptions,
    })
    expect(result.steps[0]?.toolCalls).toMatchObject([
      { toolCallId: 'call_1', toolName: 'weather', input: { city: 'Paris' } },
    ])
    expect(result.steps[0]?.toolResults).toMatchObject([{ output: 'sunny in Paris' }])
    expect(result.text).toBe('It is sunny in Paris.')
    const second = requests()[1]!.body as { input: Array<Record<string, unknown>> }
    expect(second.input).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'function_call', call_id: 'call_1', name: 'weather' }),
        expect.objectContaining({ type: 'function_call_output', call_id: 'call_1' }),
      ]),
    )
  })

  it('streamText surfaces a stream that fails mid-way as an error', async () => {
    h.fake.scriptDefault({
      kind: 'failed',
      code: 'server_is_overloaded',
      message: 'overloaded',
      afterEvents: 6,
    })
    const errors: unknown[] = []
    const result = streamText({
      model,
      prompt: 'say hi',
      providerOptions,
      onError: ({ error }) => void errors.push(error),
    })
    let text = ''
    const kinds: string[] = []
    for await (const part of result.fullStream) {
      kinds.push(part.type)
      if (part.type === 'text-delta') text += part.text
    }
    // The text before the failure arrived, then the failure, never a silent clean end.
    expect(text.length).toBeGreaterThan(0)
    expect(kinds).toContain('error')
    expect(await result.finishReason).toBe('error')
    expect(JSON.stringify(errors)).toContain('overloaded')
  })

  it('streamText streams a tool call with its parsed input', async () => {
    h.fake.scriptDefault(weatherCall)
    const result = streamText({ model, prompt: 'weather?', tools: { weather }, providerOptions })
    const calls = await result.toolCalls
    expect(calls).toMatchObject([
      { toolCallId: 'call_1', toolName: 'weather', input: { city: 'Paris' } },
    ])
    expect(await result.toolResults).toMatchObject([{ output: 'sunny in Paris' }])
    expect(await result.finishReason).toBe('tool-calls')
    expect(requests()).toHaveLength(1)
  })
})
