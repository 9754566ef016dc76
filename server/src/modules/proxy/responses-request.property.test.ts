import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { chatRequest } from '../../../test/support/chat-requests.js'
import { fuzzParams } from '../../../test/support/fuzz.js'
import { corrupted } from '../../../test/support/hostile-values.js'
import { BadRequestError } from '../../errors/index.js'
import { translateChatRequest } from '../chat/chat-request.js'
import { parseResponsesRequest } from './responses-request.js'

// Responses bodies (those the Chat translation builds, plus include and reasoning) with any node
// replaced by a hostile value: parsed, or refused with a 400 — and what is parsed is sent upstream
// as JSON, so it must serialize.

const responsesBody = fc
  .tuple(
    // A blank model passes the Chat translation and is refused here: a 400 either way.
    chatRequest.filter((req) => req.model.trim() !== ''),
    fc.subarray(['reasoning.encrypted_content', 'message.output_text.logprobs']),
    fc.boolean(),
  )
  .map(([req, include, stream]): Record<string, unknown> => ({
    ...translateChatRequest(req).responses,
    include,
    stream,
    store: false,
  }))

describe('parseResponsesRequest properties', () => {
  it('accepts every body the Chat translation builds', () => {
    const prop = fc.property(responsesBody, (body) => {
      const parsed = parseResponsesRequest(body)
      expect(parsed.model).toBe(body['model'])
      expect(parsed.body['input']).toEqual(body['input'])
    })
    fc.assert(prop, fuzzParams(100))
  })

  it('answers any corrupted body with a parse that serializes or a 400', () => {
    const prop = fc.property(corrupted(responsesBody), (raw) => {
      try {
        JSON.stringify(parseResponsesRequest(raw).body)
      } catch (err) {
        expect(err).toBeInstanceOf(BadRequestError)
        expect((err as Error).message.length).toBeLessThan(300)
      }
    })
    fc.assert(prop, fuzzParams(300))
  })
})

// Found by the property above: a 10 kB body nested 5,000 deep in an input item (or a tool or
// text.format schema) passed validation and then failed to serialize for the upstream: a 500.
describe('parseResponsesRequest regressions', () => {
  const nested = (depth: number) => {
    let v: unknown = 1
    for (let i = 0; i < depth; i++) v = { a: v }
    return v
  }

  it('refuses a body nested past 512 levels with a 400 naming the body', () => {
    const body = (depth: number) => ({ model: 'm', input: [nested(depth)] })
    expect(() => parseResponsesRequest(body(5000))).toThrow('Request body nests deeper than 512')
    // The limit counts the body itself and the input array: 510 more levels still pass.
    expect(() => parseResponsesRequest(body(510))).not.toThrow()
    expect(() => parseResponsesRequest(body(511))).toThrow(BadRequestError)
  })

  it('quotes an unsupported include value cut short', () => {
    const include = ['x'.repeat(1 << 20)]
    expect(() => parseResponsesRequest({ model: 'm', input: [], include })).toThrow(
      /^Unsupported include value: "x{56}\.\.\.$/,
    )
  })
})
