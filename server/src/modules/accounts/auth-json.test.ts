import { describe, expect, it } from 'vitest'
import { formatAuthJson, parseAuthJson } from './auth-json.js'
import { InvalidAuthJsonError } from './errors.js'

const tokens = { id_token: 'id.tok.en', access_token: 'acc.tok.en', refresh_token: 'rt_secret' }

function errorOf(text: string): InvalidAuthJsonError {
  try {
    parseAuthJson(text)
  } catch (err) {
    if (err instanceof InvalidAuthJsonError) return err
    throw err
  }
  throw new Error('expected InvalidAuthJsonError')
}

describe('parseAuthJson', () => {
  it('reads the Codex CLI shape, honouring last_refresh', () => {
    const parsed = parseAuthJson(
      JSON.stringify({
        OPENAI_API_KEY: null,
        tokens: { ...tokens, account_id: 'ws-1' },
        last_refresh: '2026-01-02T03:04:05.678901Z',
      }),
    )
    expect(parsed).toEqual({
      idToken: 'id.tok.en',
      accessToken: 'acc.tok.en',
      refreshToken: 'rt_secret',
      accountId: 'ws-1',
      lastRefreshAt: Date.parse('2026-01-02T03:04:05.678Z'),
    })
  })

  it.each([
    ['lastRefreshAt', { lastRefreshAt: '2026-01-02T00:00:00Z' }],
    ['last_refresh_at', { last_refresh_at: '2026-01-02T00:00:00Z' }],
  ])('reads the camelCase shape with %s', (_name, extra) => {
    const parsed = parseAuthJson(
      JSON.stringify({
        tokens: { idToken: 'i.d.t', accessToken: 'a.c.c', refreshToken: 'r', accountId: 'ws' },
        ...extra,
      }),
    )
    expect(parsed).toMatchObject({ idToken: 'i.d.t', accessToken: 'a.c.c', accountId: 'ws' })
    expect(parsed.lastRefreshAt).toBe(Date.parse('2026-01-02T00:00:00Z'))
  })

  it('leaves account id and last refresh null when absent', () => {
    const parsed = parseAuthJson(JSON.stringify({ tokens }))
    expect(parsed.accountId).toBeNull()
    expect(parsed.lastRefreshAt).toBeNull()
  })

  it('accepts a UTF-8 byte order mark', () => {
    expect(parseAuthJson('\uFEFF' + JSON.stringify({ tokens })).refreshToken).toBe('rt_secret')
  })

  it.each([
    ['id_token', 'tokens.id_token is missing'],
    ['access_token', 'tokens.access_token is missing'],
    ['refresh_token', 'tokens.refresh_token is missing'],
  ])('names a missing %s', (field, message) => {
    const partial: Record<string, string> = { ...tokens }
    delete partial[field]
    const err = errorOf(JSON.stringify({ tokens: partial }))
    expect(err.message).toBe(message)
    expect(err.code).toBe('invalid_auth_json')
    expect(err.status).toBe(400)
  })

  it('lists every problem at once', () => {
    const err = errorOf(JSON.stringify({ tokens: { id_token: '' }, last_refresh: 'yesterday' }))
    expect(err.message).toBe(
      'tokens.id_token must be a non-empty string; tokens.access_token is missing; ' +
        'tokens.refresh_token is missing; last_refresh is not a valid ISO-8601 date',
    )
  })

  it.each([
    ['{"tokens": 5}', 'tokens must be an object'],
    ['{"OPENAI_API_KEY": null}', 'tokens is missing'],
    [
      '{"OPENAI_API_KEY": "sk-x", "tokens": null}',
      'auth.json holds only an API key (OPENAI_API_KEY), no ChatGPT sign-in tokens: ' +
        'codex-lb pools ChatGPT accounts, so sign in with ChatGPT instead',
    ],
    ['{"tokens": null}', 'tokens is missing'],
    ['[1,2]', 'auth.json must be a JSON object'],
    ['"text"', 'auth.json must be a JSON object'],
    [
      JSON.stringify({ tokens: { ...tokens, account_id: 7 } }),
      'tokens.account_id must be a string',
    ],
    [
      JSON.stringify({ tokens: { ...tokens, refresh_token: 3 } }),
      'tokens.refresh_token must be a non-empty string',
    ],
  ])('rejects %s', (text, message) => {
    expect(errorOf(text).message).toBe(message)
  })

  it('reports invalid JSON by position without echoing the content', () => {
    const err = errorOf('{"tokens": {"refresh_token": "rt_very_secret" oops')
    expect(err.message).toMatch(/^auth\.json is not valid JSON/)
    expect(err.message).not.toContain('rt_very_secret')
  })
})

describe('formatAuthJson', () => {
  it('writes the file Codex CLI reads, which parseAuthJson reads back unchanged', () => {
    const input = {
      idToken: 'id.tok.en',
      accessToken: 'acc.tok.en',
      refreshToken: 'rt_secret',
      accountId: 'ws-1',
    }
    const file = formatAuthJson(input, Date.parse('2026-01-02T03:04:05.678Z'))
    expect(file).toEqual({
      OPENAI_API_KEY: null,
      tokens: { ...tokens, account_id: 'ws-1' },
      last_refresh: '2026-01-02T03:04:05.678Z',
    })
    expect(parseAuthJson(JSON.stringify(file))).toEqual({
      ...input,
      lastRefreshAt: Date.parse('2026-01-02T03:04:05.678Z'),
    })
  })
})
