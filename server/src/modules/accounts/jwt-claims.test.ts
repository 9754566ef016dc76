import { describe, expect, it } from 'vitest'
import { OPENAI_AUTH_CLAIM, decodeJwtPayload, readExpiry, readIdTokenClaims } from './jwt-claims.js'

const jwt = (payload: Record<string, unknown>) =>
  `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.`

describe('jwt claims', () => {
  it('prefers the nested OpenAI auth claim over top-level claims', () => {
    const token = jwt({
      email: 'A@example.com',
      chatgpt_account_id: 'top',
      chatgpt_plan_type: 'free',
      [OPENAI_AUTH_CLAIM]: { chatgpt_account_id: 'nested', chatgpt_plan_type: 'plus' },
    })
    expect(readIdTokenClaims(token)).toEqual({
      email: 'A@example.com',
      chatgptAccountId: 'nested',
      planType: 'plus',
    })
  })

  it('falls back to top-level claims and reports absent ones as null', () => {
    expect(readIdTokenClaims(jwt({ chatgpt_account_id: 'top' }))).toEqual({
      email: null,
      chatgptAccountId: 'top',
      planType: null,
    })
    expect(
      readIdTokenClaims(jwt({ email: ' ', [OPENAI_AUTH_CLAIM]: { chatgpt_account_id: '' } })),
    ).toEqual({ email: null, chatgptAccountId: null, planType: null })
  })

  it.each(['opaque', 'a.!!!.c', `x.${Buffer.from('[1]').toString('base64url')}.y`, ''])(
    'returns null for the non-JWT %j',
    (token) => {
      expect(decodeJwtPayload(token)).toBeNull()
      expect(readIdTokenClaims(token)).toBeNull()
    },
  )

  it('reads exp in milliseconds', () => {
    expect(readExpiry(jwt({ exp: 1_700_000_000 }))).toBe(1_700_000_000_000)
    expect(readExpiry(jwt({ exp: '1700000000' }))).toBeNull()
    expect(readExpiry(jwt({}))).toBeNull()
    expect(readExpiry('opaque-token')).toBeNull()
  })
})
