import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { chatRequest, expectedResponses, type Json } from '../../../test/support/chat-requests.js'
import { fuzzParams } from '../../../test/support/fuzz.js'
import { corrupted, hostileValue } from '../../../test/support/hostile-values.js'
import { BadRequestError } from '../../errors/index.js'
import { translateChatRequest } from './chat-request.js'
import { responsesBodyFromMessages } from './message-coercion.js'

describe('translateChatRequest properties', () => {
  it('turns any valid chat request into the Responses body the API documents describe', () => {
    const prop = fc.property(chatRequest, (req) => {
      const out = translateChatRequest(req)
      expect(out.responses).toEqual(expectedResponses(req))
      expect(out.stream).toBe(req.stream ?? false)
      expect(out.includeUsage).toBe(
        req.stream ? (req.stream_options?.include_usage ?? false) : true,
      )
      // Nothing but JSON goes upstream: the body survives a JSON round trip unchanged.
      expect(JSON.parse(JSON.stringify(out.responses))).toEqual(out.responses)
    })
    fc.assert(prop, fuzzParams(200))
  })

  it('keeps every tool call and tool result: ids, names and arguments, in order', () => {
    const prop = fc.property(chatRequest, (req) => {
      const input = translateChatRequest(req).responses['input'] as Json[]
      const calls = req.messages.flatMap(
        (m) =>
          (m['tool_calls'] ?? []) as Array<{
            id: string
            function: { name: string; arguments?: string }
          }>,
      )
      expect(input.filter((i) => i['type'] === 'function_call')).toEqual(
        calls.map((c) => ({
          type: 'function_call',
          call_id: c.id,
          name: c.function.name,
          arguments: c.function.arguments ?? '',
        })),
      )
      const results = req.messages.filter((m) => m['role'] === 'tool').map((m) => m['tool_call_id'])
      expect(
        input.filter((i) => i['type'] === 'function_call_output').map((i) => i['call_id']),
      ).toEqual(results)
    })
    fc.assert(prop, fuzzParams(100))
  })

  it('answers any corrupted request with a translation or a 400, never another error', () => {
    const body = fc.oneof(corrupted(chatRequest), hostileValue, fc.anything())
    const prop = fc.property(body, (raw) => {
      const attempts = [
        // What is accepted must still serialize: the proxy sends it upstream as JSON.
        () => JSON.stringify(translateChatRequest(raw).responses),
        // Bodies without `messages` come back as they are; the Responses parser judges them.
        () => responsesBodyFromMessages(raw),
      ]
      for (const attempt of attempts) {
        try {
          attempt()
        } catch (err) {
          expect(err).toBeInstanceOf(BadRequestError)
          // Messages quote client values cut short, never a whole megabyte.
          expect((err as Error).message.length).toBeLessThan(300)
        }
      }
    })
    fc.assert(prop, fuzzParams(300))
  })
})

function nested(depth: number, wrap: (inner: unknown) => unknown, leaf: unknown = {}): unknown {
  let v = leaf
  for (let i = 0; i < depth; i++) v = wrap(v)
  return v
}

function paramOf(raw: unknown): string | undefined {
  try {
    translateChatRequest(raw)
  } catch (err) {
    if (err instanceof BadRequestError) return err.param
    throw err
  }
  return 'accepted'
}

// The shrunk inputs the property found (each a RangeError, so a 500, before the fix). 20,000 levels
// is about where JSON.stringify and the recursive schema walk overflow; the body is only 40 kB.
describe('translateChatRequest regressions', () => {
  const base = { model: 'm', messages: [{ role: 'user', content: '' }] }
  const deepArray = nested(20_000, (v) => [v], [])

  it('quotes an unsupported role nested too deep to stringify', () => {
    expect(paramOf({ model: 'm', messages: [{ role: deepArray, content: '' }] })).toBe(
      'messages[0].role',
    )
  })

  it('refuses a response_format schema nested past 100 levels instead of overflowing', () => {
    const schema = nested(20_000, (v) => ({ items: v }))
    const format = { type: 'json_schema', json_schema: { name: 'A', schema } }
    expect(paramOf({ ...base, response_format: format })).toBe('response_format.json_schema.schema')
  })

  it('refuses tool parameters that pass the schema walk but cannot be serialized', () => {
    const tool = (parameters: unknown) => ({
      type: 'function',
      function: { name: 'f', parameters },
    })
    expect(paramOf({ ...base, tools: [tool(nested(20_000, (v) => ({ a: v })))] })).toBe(
      'tools[0].function.parameters',
    )
    // The limit: 100 levels pass, 101 do not.
    expect(paramOf({ ...base, tools: [tool(nested(99, (v) => ({ a: v })))] })).toBe('accepted')
    expect(paramOf({ ...base, tools: [tool(nested(100, (v) => ({ a: v })))] })).toBe(
      'tools[0].function.parameters',
    )
  })

  // Found with the huge-key hostile value: the path of a bad schema node held the client's 64 kB
  // property name, quoted whole in the message and `param`.
  it('cuts a path holding a huge schema property name short', () => {
    const properties = { ['k'.repeat(1 << 16)]: 5 }
    const tool = { type: 'function', function: { name: 'f', parameters: { properties } } }
    const param = paramOf({ ...base, tools: [tool] })
    expect(param).toMatch(/^tools\[0\]\.function\.parameters\.properties\.k+\.\.\.$/)
    expect(param).toHaveLength(200)
  })
})
