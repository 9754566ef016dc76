import { describe, expect, it } from 'vitest'
import { classifyDevicePoll, oauthFailure, readTokens } from './auth-client.js'
import { OAuthUpstreamError } from './errors.js'

const err = (code: string, message = 'm') => ({ error: { code, message } })

describe('classifyDevicePoll', () => {
  it.each([
    ['403', 403, err('authorization_pending'), 'pending'],
    ['404', 404, { detail: 'Not Found' }, 'pending'],
    ['5xx', 503, undefined, 'pending'],
    ['coded pending', 400, err('authorization_pending'), 'pending'],
    ['RFC 6749 string error', 400, { error: 'authorization_pending' }, 'pending'],
    ['status field', 400, { status: 'pending' }, 'pending'],
    ['200 status pending', 200, { status: 'authorization_pending' }, 'pending'],
    ['slow_down', 400, err('slow_down'), 'slow_down'],
    ['expired_token', 400, err('expired_token'), 'expired'],
    ['access_denied', 400, err('access_denied', 'The user denied the request'), 'error'],
    ['200 nonsense', 200, { hello: 'world' }, 'error'],
  ])('%s → %s', (_name, status, body, kind) => {
    expect(classifyDevicePoll({ status, body }).kind).toBe(kind)
  })

  it('returns the code to exchange, or tokens given directly', () => {
    expect(
      classifyDevicePoll({ status: 200, body: { authorization_code: 'c', code_verifier: 'v' } }),
    ).toEqual({ kind: 'code', code: 'c', codeVerifier: 'v' })
    const tokens = { access_token: 'a', refresh_token: 'r', id_token: 'i' }
    expect(classifyDevicePoll({ status: 200, body: tokens })).toEqual({
      kind: 'tokens',
      tokens: { accessToken: 'a', refreshToken: 'r', idToken: 'i' },
    })
    const partial = classifyDevicePoll({ status: 200, body: { access_token: 'a' } })
    expect(partial.kind === 'error' && partial.error.message).toBe(
      'The token response has no refresh_token, id_token.',
    )
  })

  it('keeps the server code and message of a refusal', () => {
    const poll = classifyDevicePoll({ status: 400, body: err('access_denied', 'Denied') })
    expect(poll.kind === 'error' && [poll.error.code, poll.error.message]).toEqual([
      'access_denied',
      'Denied',
    ])
  })
})

describe('oauthFailure', () => {
  it.each([
    [
      { error: 'invalid_grant', error_description: 'Code expired' },
      'invalid_grant',
      'Code expired',
    ],
    [err('invalid_grant', 'Bad code'), 'invalid_grant', 'Bad code'],
    [undefined, 'token_exchange_failed', 'The auth server answered HTTP 500.'],
    [{ error: '<b>x</b>' }, 'token_exchange_failed', 'The auth server answered HTTP 500.'],
  ])('%j → %s', (body, code, message) => {
    const failure = oauthFailure({ status: 500, body }, 'token_exchange_failed')
    expect(failure).toBeInstanceOf(OAuthUpstreamError)
    expect([failure.status, failure.code, failure.message]).toEqual([502, code, message])
  })
})

describe('readTokens', () => {
  it('names every missing token', () => {
    expect(() => readTokens({ access_token: 'a', id_token: '' })).toThrow(
      'The token response has no refresh_token, id_token.',
    )
    expect(() => readTokens(null)).toThrow(/no access_token, refresh_token, id_token/)
  })
})
