import { createCipheriv, randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fuzzParams } from '../../../test/support/fuzz.js'
import { hostileValue } from '../../../test/support/hostile-values.js'
import { SESSION_COOKIE, SessionCodec, type SessionClaims } from './session-codec.js'

// Session cookies: sealed claims open to themselves until they expire; any other string (random,
// huge, a sealed cookie with any byte changed, one sealed under another key, one sealing any JSON)
// opens to null or to well-typed claims, and never throws.

const KEY = Buffer.alloc(32, 7)
const codec = new SessionCodec(KEY)
const NOW = 1_800_000_000_000

const claims: fc.Arbitrary<SessionClaims> = fc.record({
  exp: fc.integer({ min: NOW / 1000 - 86_400, max: NOW / 1000 + 86_400 }),
  pw: fc.boolean(),
  tv: fc.boolean(),
  ep: fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
  sid: fc.stringMatching(/^[A-Za-z0-9_-]{16,64}$/),
})

/** Seals any JSON text in the cookie format: tokens the codec itself would never mint. */
function sealRaw(plain: string, key = KEY): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(Buffer.from(SESSION_COOKIE))
  const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  return Buffer.concat([Buffer.from([1]), iv, cipher.getAuthTag(), ct]).toString('base64url')
}

function expectWellTyped(out: SessionClaims | null): void {
  if (out === null) return
  expect(Number.isInteger(out.exp) && out.exp * 1000 > NOW).toBe(true)
  expect(typeof out.pw === 'boolean' && typeof out.tv === 'boolean').toBe(true)
  expect(Number.isInteger(out.ep)).toBe(true)
  expect(out.sid).toMatch(/^[A-Za-z0-9_-]{16,64}$/)
}

describe('SessionCodec properties', () => {
  it('opens a sealed cookie to the same claims until it expires, then to null', () => {
    const prop = fc.property(claims, (c) => {
      expect(codec.open(codec.seal(c), NOW)).toEqual(c.exp * 1000 > NOW ? c : null)
    })
    fc.assert(prop, fuzzParams(200))
  })

  it('opens a sealed cookie with any change to its bytes to null', () => {
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
      fc.record({
        kind: fc.constant('append' as const),
        text: fc.string({ minLength: 1, maxLength: 8 }),
      }),
      fc.record({
        kind: fc.constant('char' as const),
        at: fc.nat(),
        char: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
      }),
    )
    const prop = fc.property(claims, edit, (c, e) => {
      const sealed = codec.seal({ ...c, exp: NOW / 1000 + 60 })
      let token: string
      if (e.kind === 'flip') {
        const raw = Buffer.from(sealed, 'base64url')
        raw[e.at % raw.length]! ^= 1 << e.bit
        token = raw.toString('base64url')
      } else if (e.kind === 'cut') token = sealed.slice(0, e.at % sealed.length)
      else if (e.kind === 'append') token = sealed + e.text
      else {
        const at = e.at % sealed.length
        token = sealed.slice(0, at) + e.char + sealed.slice(at + 1)
      }
      const out = codec.open(token, NOW)
      // base64url decoding skips characters outside its alphabet and spare low bits of the last
      // one: a string that still decodes to the sealed bytes is the same cookie.
      const same = Buffer.from(token, 'base64url').equals(Buffer.from(sealed, 'base64url'))
      expect(out).toEqual(same ? { ...c, exp: NOW / 1000 + 60 } : null)
    })
    fc.assert(prop, fuzzParams(200))
  })

  it('opens random, huge or foreign strings to null without throwing', () => {
    const token = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.base64String({ maxLength: 200 }),
      fc.constantFrom('', 'A'.repeat(1 << 20), 'AQ', '\u0000'.repeat(64)),
      claims.map((c) => new SessionCodec(Buffer.alloc(32, 8)).seal(c)),
    )
    const prop = fc.property(token, (t) => {
      expect(codec.open(t, NOW)).toBeNull()
    })
    fc.assert(prop, fuzzParams(200))
  })

  it('opens an authentic cookie sealing any JSON to null or to well-typed claims', () => {
    const payload = fc.oneof(
      claims.chain((c) =>
        fc
          .tuple(fc.constantFrom('exp', 'pw', 'tv', 'ep', 'sid'), hostileValue)
          .map(([k, v]) => ({ ...c, [k]: v })),
      ),
      hostileValue,
    )
    const prop = fc.property(payload, (value) => {
      let plain: string | undefined
      try {
        plain = JSON.stringify(value)
      } catch {
        plain = '['.repeat(20_000) + ']'.repeat(20_000)
      }
      expectWellTyped(codec.open(sealRaw(plain ?? 'undefined'), NOW))
    })
    fc.assert(prop, fuzzParams(100))
  })
})
