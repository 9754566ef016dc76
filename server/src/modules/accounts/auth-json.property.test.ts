import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fuzzParams } from '../../../test/support/fuzz.js'
import { corrupted, hostileValue } from '../../../test/support/hostile-values.js'
import { formatAuthJson, parseAuthJson, type AuthJson } from './auth-json.js'
import { InvalidAuthJsonError } from './errors.js'

// auth.json import: what formatAuthJson writes parses back to the same tokens (in either casing,
// with a BOM or indentation), and any other text is either a file we accept — which must survive
// the same round trip, since accounts are exported again — or an InvalidAuthJsonError that quotes
// no token.

/** JWT-like, long: easy to find if an error message echoes a piece of one. */
const token = fc.stringMatching(/^[A-Za-z0-9_-]{24,40}$/)
const time = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) })
const tokens = fc.record({
  idToken: token,
  accessToken: token,
  refreshToken: token,
  accountId: fc.option(token, { nil: null }),
})

function camelCase(file: ReturnType<typeof formatAuthJson>): Record<string, unknown> {
  const t = file.tokens
  return {
    tokens: {
      idToken: t.id_token,
      accessToken: t.access_token,
      refreshToken: t.refresh_token,
      accountId: t.account_id,
    },
    lastRefreshAt: file.last_refresh,
  }
}

/** Parsed, or the import error; anything else thrown fails the property. */
function attempt(text: string): AuthJson | InvalidAuthJsonError {
  try {
    return parseAuthJson(text)
  } catch (err) {
    if (err instanceof InvalidAuthJsonError) return err
    throw err
  }
}

describe('auth.json properties', () => {
  it('parses what formatAuthJson writes back to the same tokens, in any casing or layout', () => {
    const layout = fc.record({ camel: fc.boolean(), bom: fc.boolean(), indent: fc.nat(4) })
    const prop = fc.property(tokens, time, layout, (t, at, { camel, bom, indent }) => {
      const file = formatAuthJson(t, at)
      const text = JSON.stringify(camel ? camelCase(file) : file, null, indent)
      expect(parseAuthJson(`${bom ? '\uFEFF' : ''}${text}`)).toEqual({ ...t, lastRefreshAt: at })
    })
    fc.assert(prop, fuzzParams(200))
  })

  const valid = fc
    .tuple(tokens, time)
    .map(([t, at]) => JSON.parse(JSON.stringify(formatAuthJson(t, at))) as unknown)
  const text = fc.oneof(
    corrupted(valid).map((v) => {
      try {
        return JSON.stringify(v) ?? 'null'
      } catch {
        return '['.repeat(20_000) + ']'.repeat(20_000)
      }
    }),
    fc.json({ maxDepth: 3 }),
    fc.string({ unit: 'binary', maxLength: 80 }),
    // Truncated files, and files with a stray character: V8's own messages quote the text there.
    fc.tuple(valid, fc.nat()).map(([v, n]) => {
      const whole = JSON.stringify(v)
      return whole.slice(0, n % whole.length)
    }),
    {
      weight: 3,
      arbitrary: fc
        .tuple(valid, fc.nat(), fc.constantFrom('x', '}', ',', '"', '\\'))
        .map(([v, n, c]) => {
          const whole = JSON.stringify(v)
          // After a colon, half the time: a stray character where a value starts makes V8 quote
          // the text that follows (the token) in its message.
          const colons = [...whole.matchAll(/:/g)].map((m) => m.index + 1)
          const at = n % 2 ? colons[n % colons.length]! : n % whole.length
          return `${whole.slice(0, at)}${c}${whole.slice(at)}`
        }),
    },
  )

  it('accepts or refuses any text with InvalidAuthJsonError, echoing no token', () => {
    const prop = fc.property(text, (input) => {
      const out = attempt(input)
      if (out instanceof InvalidAuthJsonError) {
        expect(out.status).toBe(400)
        // No 8 characters of any token-like run of the input appear in the message.
        for (const run of input.match(/[A-Za-z0-9_-]{24,}/g) ?? []) {
          if (run.length > 100) continue // Not a token: the megabyte strings.
          for (let i = 0; i + 8 <= run.length; i++)
            expect(out.message).not.toContain(run.slice(i, i + 8))
        }
        return
      }
      // Accounts are exported again (formatAuthJson) and listed with ISO dates: an accepted file
      // must survive that.
      const again = parseAuthJson(JSON.stringify(formatAuthJson(out, out.lastRefreshAt ?? 0)))
      expect(again).toEqual({ ...out, lastRefreshAt: out.lastRefreshAt ?? 0 })
    })
    fc.assert(prop, fuzzParams(200))
  })

  it('accepts or refuses a last_refresh of any value, and what it accepts is a real date', () => {
    const prop = fc.property(tokens, hostileValue, (t, value) => {
      let file: string
      try {
        file = JSON.stringify({ ...formatAuthJson(t, 0), last_refresh: value })
      } catch {
        return // Too deep for JSON text; other properties send such values.
      }
      const out = attempt(file)
      if (!(out instanceof InvalidAuthJsonError) && out.lastRefreshAt !== null) {
        expect(new Date(out.lastRefreshAt).toISOString()).toMatch(/Z$/)
        expect(Number.isInteger(out.lastRefreshAt)).toBe(true)
      }
    })
    fc.assert(prop, fuzzParams(200))
  })
})

// Found by the property above: a numeric last_refresh past the Date range was accepted, and the
// account's ISO dates (listing, export) then threw RangeError: Invalid time value.
describe('auth.json regressions', () => {
  it.each([2 ** 53 + 2, -1e300])('refuses last_refresh %s', (value) => {
    const file = {
      ...formatAuthJson({ idToken: 'i', accessToken: 'a', refreshToken: 'r', accountId: null }, 0),
      last_refresh: value,
    }
    expect(() => parseAuthJson(JSON.stringify(file))).toThrow(
      'last_refresh is not a valid ISO-8601 date',
    )
  })

  // Found by SOAK=1: a fractional number was kept as is (stored as 1.5 in an integer column).
  it('keeps whole milliseconds of a numeric last_refresh', () => {
    const tokens = { idToken: 'i', accessToken: 'a', refreshToken: 'r', accountId: null }
    const file = { ...formatAuthJson(tokens, 0), last_refresh: 1.5 }
    expect(parseAuthJson(JSON.stringify(file)).lastRefreshAt).toBe(1)
  })
})
