import { describe, expect, it } from 'vitest'
import { capBytes, ERROR_BODY_MAX_BYTES, errorBodyForLog, redactSecrets } from './redact.js'

const JWT =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTEiLCJlbWFpbCI6ImFAYi5jIn0.c2lnbmF0dXJlLWJ5dGVz'
const OPENAI_KEY = 'sk-proj-AbCdEf0123456789XyZ'
const CLB_KEY = 'sk-clb-Q2h8nP0vZ7mW3xR1tY6uI9oA5sD4fG2hJ8kL0zX3cV7'

describe('redactSecrets', () => {
  it.each([
    ['a bearer token', `Authorization: Bearer ${OPENAI_KEY.slice(3)}abcdef`, 'abcdef'],
    ['an OpenAI key', `Incorrect API key provided: ${OPENAI_KEY}.`, OPENAI_KEY],
    ['a masked key', 'Incorrect API key provided: sk-abc*********************wxyz', 'wxyz'],
    ['a codex-lb key', `key ${CLB_KEY} is not allowed`, CLB_KEY],
    ['a JWT', `token ${JWT} expired`, JWT],
    ['a JWT cut short by a cap', `token ${JWT.slice(0, 30)}`, JWT.slice(0, 30)],
    ['a refresh token in JSON', '{"refresh_token":"rt_opaque_value_123"}', 'rt_opaque_value_123'],
    ['an access token in JSON', '{"access_token": "at-opaque-9"}', 'at-opaque-9'],
    ['an id token in camelCase', '{"idToken":"opaque-id-token"}', 'opaque-id-token'],
    ['a token quoted in a message', '{"message":"got {\\"access_token\\":\\"zzz-1\\"}"}', 'zzz-1'],
    ['a token in a form body', 'grant_type=refresh_token&refresh_token=rt_abc123&x=1', 'rt_abc123'],
    ['a cookie header', 'Cookie: __Secure-next-auth.session-token=s3cr3t; other=1', 's3cr3t'],
    ['a set-cookie echo', '{"set-cookie":"sess=abcdef; Path=/"}', 'abcdef'],
    ['a bare session cookie', 'challenge with cf_clearance=cfc-123456 failed', 'cfc-123456'],
  ])('removes %s', (_name, text, secret) => {
    const out = redactSecrets(text)
    expect(out).not.toContain(secret)
    expect(out).toContain('[redacted]')
  })

  it('keeps what explains the failure: codes, messages, types, numbers', () => {
    const body = JSON.stringify({
      error: {
        type: 'usage_limit_reached',
        code: 'rate_limit_exceeded',
        message: 'Rate limit reached for gpt-5.5 in organization org-1 on tokens per min.',
        resets_in_seconds: 1800,
        max_tokens: 100,
      },
    })
    expect(redactSecrets(body)).toBe(body)
  })

  it('keeps the JSON valid when it masks members', () => {
    const out = redactSecrets(JSON.stringify({ error: { message: 'x', api_key: OPENAI_KEY } }))
    expect(JSON.parse(out)).toEqual({ error: { message: 'x', api_key: '[redacted]' } })
  })
})

describe('capBytes', () => {
  it('leaves short text alone and cuts long text to the cap, marked', () => {
    expect(capBytes('short')).toBe('short')
    const out = capBytes('x'.repeat(10_000))
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(ERROR_BODY_MAX_BYTES)
    expect(out.endsWith('…[truncated]')).toBe(true)
  })

  it('never splits a multi-byte character', () => {
    const out = capBytes('é'.repeat(5000), 101)
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(101)
    expect(out).not.toContain('\uFFFD')
  })
})

describe('errorBodyForLog', () => {
  it('serializes, redacts, then caps: a secret past the cap is never half kept', () => {
    const body = { error: { message: 'x'.repeat(4040) + ` ${JWT}` } }
    const out = errorBodyForLog(body)!
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(ERROR_BODY_MAX_BYTES)
    expect(out).not.toContain('eyJhbGci')
  })

  it('applies the extra redaction (an overflow upstream key) and is null for nothing', () => {
    expect(
      errorBodyForLog({ error: { message: 'bad key ABC' } }, (t) => t.replace('ABC', '***')),
    ).toBe('{"error":{"message":"bad key ***"}}')
    expect(errorBodyForLog(undefined)).toBeNull()
    expect(errorBodyForLog({})).toBeNull()
  })
})
