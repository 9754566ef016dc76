import type { IncomingHttpHeaders } from 'node:http'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fuzzParams } from '../../test/support/fuzz.js'
import { upstreamHeaders } from './headers.js'

// Whatever headers a client sends, what goes upstream carries our credential, request id and
// encodings only: none of the client's credentials, cookies, provenance or hop-by-hop headers, in
// any casing; everything else (Codex CLI's own headers) is forwarded as sent.

const CLIENT_ONLY = [
  'authorization',
  'cookie',
  'proxy-authorization',
  'chatgpt-account-id',
  'x-forwarded-for',
  'x-forwarded-host',
  'forwarded',
  'x-real-ip',
  'cf-connecting-ip',
  'sec-fetch-site',
  'x-stainless-os',
  'host',
  'connection',
  'transfer-encoding',
  'content-length',
  'x-request-id',
  'request-id',
]
const FORWARDED = ['originator', 'session_id', 'x-codex-turn', 'openai-beta', 'user-agent']

const casing = (name: string) =>
  fc
    .array(fc.boolean(), { minLength: name.length, maxLength: name.length })
    .map((ups) => [...name].map((c, i) => (ups[i] ? c.toUpperCase() : c)).join(''))
const value = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.array(fc.string({ maxLength: 10 }), { minLength: 1, maxLength: 3 }),
)
const inbound = fc
  .array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom(...CLIENT_ONLY, ...FORWARDED).chain(casing),
        fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
      ),
      value,
    ),
    { maxLength: 12 },
  )
  .map((pairs) => Object.fromEntries(pairs) as IncomingHttpHeaders)
const credential = fc.record({
  accessToken: fc.stringMatching(/^[A-Za-z0-9._-]{20,40}$/),
  chatgptAccountId: fc.option(
    fc.oneof(
      fc.uuid(),
      fc.uuid().map((u) => `email_${u}`),
      fc.uuid().map((u) => `local_${u}`),
    ),
    { nil: null },
  ),
})

describe('upstreamHeaders properties', () => {
  it('sends our credential and id, none of the client credentials or provenance, and the rest', () => {
    const prop = fc.property(inbound, credential, fc.uuid(), (headers, cred, requestId) => {
      const out = upstreamHeaders(headers, cred, requestId, 'text/event-stream')
      expect(out['authorization']).toBe(`Bearer ${cred.accessToken}`)
      expect(out['x-request-id']).toBe(requestId)
      expect(out['accept-encoding']).toBe('identity')
      const account = cred.chatgptAccountId
      const real = account !== null && !/^(email|local)_/.test(account)
      expect(out['chatgpt-account-id']).toBe(real ? account : undefined)
      for (const name of ['cookie', 'proxy-authorization', 'forwarded', 'x-real-ip', 'host']) {
        expect(out[name]).toBeUndefined()
      }
      for (const name of Object.keys(out)) {
        expect(name).toBe(name.toLowerCase())
        expect(name).not.toMatch(/^(x-forwarded-|cf-|sec-|x-stainless-)/)
      }
      for (const [name, v] of Object.entries(headers)) {
        const lower = name.toLowerCase()
        if (!FORWARDED.includes(lower) || v === undefined) continue
        // The last spelling of a name wins, as Node would have merged them.
        const last = Object.entries(headers).findLast(([n]) => n.toLowerCase() === lower)![1]
        expect(out[lower]).toBe(Array.isArray(last) ? last.join(', ') : last)
      }
    })
    fc.assert(prop, fuzzParams(300))
  })
})
