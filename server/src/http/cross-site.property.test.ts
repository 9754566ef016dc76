import type { FastifyRequest } from 'fastify'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fuzzParams } from '../../test/support/fuzz.js'
import { DashboardForbiddenError } from '../errors/index.js'
import { crossSiteCheck } from './cross-site.js'

// The Origin check on state-changing /api requests: a page on the dashboard's own origin (any
// casing, default port written or not) or an allowed one passes, any other origin is refused, and
// no Origin, Sec-Fetch-Site or Host header of any shape gets anything but a pass or a 403.

const scheme = fc.constantFrom('http', 'https')
const port = fc.option(fc.oneof(fc.integer({ min: 1, max: 65_535 }), fc.constantFrom(80, 443)), {
  nil: null,
})
const host = fc.tuple(fc.domain(), port).map(([d, p]) => (p === null ? d : `${d}:${p}`))
const upper = (s: string, yes: boolean) => (yes ? s.toUpperCase() : s)

function request(method: string, headers: Record<string, string>, h: string, protocol: string) {
  return { method, headers, host: h, protocol } as unknown as FastifyRequest
}

/** 'pass', 'refused' (a 403), or the test fails on any other error. */
async function verdict(check: ReturnType<typeof crossSiteCheck>, req: FastifyRequest) {
  try {
    await check(req)
    return 'pass'
  } catch (err) {
    expect(err).toBeInstanceOf(DashboardForbiddenError)
    return 'refused'
  }
}

describe('crossSiteCheck properties', () => {
  const check = crossSiteCheck(['https://allowed.example'])

  it('passes its own origin and allowed ones, refuses every other', async () => {
    const prop = fc.asyncProperty(scheme, host, host, fc.boolean(), async (s, own, other, caps) => {
      const post = (origin: string) => verdict(check, request('POST', { origin }, own, s))
      // Default ports are dropped from origins: http://a:80 is http://a.
      const bare = (h: string) => h.replace(s === 'http' ? /:80$/ : /:443$/, '')
      expect(await post(upper(`${s}://${own}`, caps))).toBe('pass')
      expect(await post('https://allowed.example')).toBe('pass')
      expect(await post('null')).toBe('refused')
      const otherOrigin = `${s}://${other}`
      expect(await post(otherOrigin)).toBe(bare(other) === bare(own) ? 'pass' : 'refused')
      // An http page posting to an https server is a downgrade.
      if (s === 'https') expect(await post(`http://${own}`)).toBe('refused')
    })
    await fc.assert(prop, fuzzParams(200))
  })

  it('answers any headers with a pass or a 403, and never refuses a safe method', async () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.webUrl(),
      fc.constantFrom(
        'null',
        '',
        'http://',
        'https://a@b',
        'file:///etc',
        'http://[::1]:99',
        'http://a:99999',
      ),
    )
    const method = fc.constantFrom('GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE')
    const headers = fc.record({ origin: text, 'sec-fetch-site': text }, { requiredKeys: [] })
    const prop = fc.asyncProperty(method, headers, text, scheme, async (m, h, hostHeader, s) => {
      const out = await verdict(check, request(m, h, hostHeader, s))
      if (['GET', 'HEAD', 'OPTIONS'].includes(m)) expect(out).toBe('pass')
    })
    await fc.assert(prop, fuzzParams(300))
  })
})
