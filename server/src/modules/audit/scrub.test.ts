import { describe, expect, it } from 'vitest'
import { DETAILS_MAX_CHARS, REDACTED, isSecretKey, scrubDetails } from './scrub.js'

describe('audit details scrubber', () => {
  it.each([
    'password',
    'currentPassword',
    'new_password',
    'totpCode',
    'code',
    'secret',
    'totpSecret',
    'accessToken',
    'refresh_token',
    'apiKey',
    'api-key',
    'key',
    'authorization',
    'cookie',
  ])('drops %s', (key) => {
    expect(isSecretKey(key)).toBe(true)
    expect(scrubDetails({ [key]: 'x', name: 'n' })).toEqual({ name: 'n' })
  })

  it.each(['routingStrategy', 'totpRequiredOnLogin', 'keyPrefix', 'apiKeyId', 'reason', 'name'])(
    'keeps %s',
    (key) => expect(isSecretKey(key)).toBe(false),
  )

  it('keeps what changed, drops secrets at any depth, masks values that look like credentials', () => {
    expect(
      scrubDetails({
        routingStrategy: { from: 'fill_first', to: 'round_robin' },
        upstream: { name: 'backup', apiKey: 'sk-abc', headers: { authorization: 'Bearer x' } },
        note: 'sk-live-123456',
        jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIx.sig',
        when: new Date(0),
        count: Number.NaN,
        fn: () => 1,
      }),
    ).toEqual({
      routingStrategy: { from: 'fill_first', to: 'round_robin' },
      upstream: { name: 'backup', headers: {} },
      note: REDACTED,
      jwt: REDACTED,
      when: '1970-01-01T00:00:00.000Z',
      count: null,
    })
  })

  it('returns undefined when nothing is left', () => {
    expect(scrubDetails(undefined)).toBeUndefined()
    expect(scrubDetails({ password: 'hunter2' })).toBeUndefined()
  })

  it('caps strings, arrays and the serialized size', () => {
    const details = scrubDetails({
      long: 'a'.repeat(1000),
      list: Array.from({ length: 50 }, (_, i) => i),
    })
    expect((details?.long as string).length).toBe(201)
    expect(details?.list).toHaveLength(20)
    const many = Object.fromEntries(
      Array.from({ length: 100 }, (_, i) => [`field${i}`, 'v'.repeat(150)]),
    )
    const capped = scrubDetails(many)
    expect(JSON.stringify(capped).length).toBeLessThanOrEqual(DETAILS_MAX_CHARS)
    expect(capped?.truncated).toBe(true)
    expect(capped?.field0).toBe('v'.repeat(150))
  })
})
