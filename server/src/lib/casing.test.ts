import { describe, expect, it } from 'vitest'
import { camelizeKeys } from './casing.js'

describe('camelizeKeys', () => {
  it('renames snake_case keys deeply; camelCase wins when both are sent', () => {
    expect(
      camelizeKeys({
        current_password: 'a',
        limits: [{ limit_type: 'x', model_filter: null }],
        maxValue: 1,
        max_value: 2,
      }),
    ).toEqual({
      currentPassword: 'a',
      limits: [{ limitType: 'x', modelFilter: null }],
      maxValue: 1,
    })
  })

  it('leaves scalars and arrays of scalars alone and drops __proto__', () => {
    expect(camelizeKeys('a_b')).toBe('a_b')
    expect(camelizeKeys(['a_b', 1])).toEqual(['a_b', 1])
    const parsed = camelizeKeys(JSON.parse('{"__proto__": {"polluted": true}, "a_b": 1}'))
    expect(parsed).toEqual({ aB: 1 })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})
