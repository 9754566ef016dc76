import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fuzzParams } from '../../../test/support/fuzz.js'
import { epochMs, stringList } from './values.js'

const pad = (n: number, w: number) => String(n).padStart(w, '0')

describe('epochMs reads the original naive-UTC timestamps', () => {
  it('any SQLAlchemy-shaped value, with 0–6 fraction digits, is its UTC instant (ms truncated)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date(Date.UTC(1990, 0, 1)), max: new Date(Date.UTC(2099, 11, 31)) }),
        fc.integer({ min: 0, max: 999_999 }),
        fc.integer({ min: 0, max: 6 }),
        (date, micros, places) => {
          if (Number.isNaN(date.getTime())) return
          const base = date.toISOString().slice(0, 19).replace('T', ' ')
          const fraction = places === 0 ? '' : '.' + pad(micros, 6).slice(0, places)
          const ms = places === 0 ? 0 : Math.floor(Number('0' + fraction) * 1000 + 1e-6)
          const expected = Date.parse(base.replace(' ', 'T') + 'Z') + ms
          expect(epochMs(base + fraction)).toBe(expected)
        },
      ),
      fuzzParams(300),
    )
  })

  it('other spellings (T, a zone, a Date, epoch seconds) and what is not a time', () => {
    expect(epochMs('2026-06-01T12:30:45.5Z')).toBe(Date.UTC(2026, 5, 1, 12, 30, 45, 500))
    expect(epochMs('2026-06-01 12:30:45+02:00')).toBe(Date.UTC(2026, 5, 1, 10, 30, 45))
    expect(epochMs(new Date(Date.UTC(2026, 0, 2)))).toBe(Date.UTC(2026, 0, 2))
    expect(epochMs(1_760_000_000)).toBe(1_760_000_000_000)
    for (const bad of [
      'yesterday',
      '2026-13-01 00:00:00',

      '2026-01-01 0:00:00',
      '2026-01-01 00:00:00.',
      '2026-01-01 00:00:00.12x',
      '',
    ]) {
      expect(epochMs(bad)).toBeNull()
    }
  })
})

describe('stringList reads list columns leniently', () => {
  it('JSON arrays, comma lists, empty as null, anything else unreadable', () => {
    expect(stringList('["gpt-5.4","o3"]')).toEqual(['gpt-5.4', 'o3'])
    expect(stringList('gpt-5.4, o3')).toEqual(['gpt-5.4', 'o3'])
    expect(stringList('[]')).toBeNull()
    expect(stringList(null)).toBeNull()
    expect(stringList('[1,2]')).toBeUndefined()
    expect(stringList('[oops')).toBeUndefined()
  })
})
