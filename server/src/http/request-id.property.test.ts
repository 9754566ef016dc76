import type { IncomingMessage } from 'node:http'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fuzzParams } from '../../test/support/fuzz.js'
import { requestIdFor } from './request-id.js'

// Request ids end up in logs, response headers and the request log: whatever the client sends in
// x-request-id / request-id, the id is its first sane value (1-200 visible ASCII characters, the
// x- header first) or a fresh UUID.

const SANE = /^[\x21-\x7e]{1,200}$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

const value = fc.oneof(
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.uuid(),
  fc.constantFrom(
    '',
    ' ',
    'a b',
    'x'.repeat(200),
    'x'.repeat(201),
    'é',
    '\r\nSet-Cookie: a=b',
    'id\u0000',
  ),
  fc.string({ unit: 'grapheme-ascii', minLength: 150, maxLength: 260 }),
)
const header = fc.option(fc.oneof(value, fc.array(value, { maxLength: 3 })), { nil: undefined })

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v
}

describe('requestIdFor properties', () => {
  it('echoes the first sane client id, else a fresh UUID', () => {
    const prop = fc.property(header, header, (x, plain) => {
      const headers: Record<string, string | string[]> = {}
      if (x !== undefined) headers['x-request-id'] = x
      if (plain !== undefined) headers['request-id'] = plain
      const id = requestIdFor({ headers } as unknown as IncomingMessage)
      const expected = [first(x), first(plain)].find((v) => v !== undefined && SANE.test(v))
      if (expected !== undefined) expect(id).toBe(expected)
      else expect(id).toMatch(UUID)
      expect(id).toMatch(SANE)
    })
    fc.assert(prop, fuzzParams(300))
  })
})
