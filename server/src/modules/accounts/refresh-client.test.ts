import { describe, expect, it } from 'vitest'
import { requestTokenRefresh, type RefreshClientOptions } from './refresh-client.js'

function clientAnswering(status: number, body: string, seen: RequestInit[] = []) {
  const fetchStub: typeof fetch = async (_url, init) => {
    seen.push(init ?? {})
    return new Response(body, { status })
  }
  const options: RefreshClientOptions = {
    authBaseUrl: 'http://auth.invalid',
    clientId: 'client-1',
    scope: 'openid profile email',
    timeoutMs: 1000,
    fetch: fetchStub,
  }
  return options
}

describe('requestTokenRefresh', () => {
  it('sends the JSON refresh grant and returns the tokens', async () => {
    const seen: RequestInit[] = []
    const body = JSON.stringify({ access_token: 'a', refresh_token: 'r', id_token: 'i' })
    const outcome = await requestTokenRefresh(clientAnswering(200, body, seen), 'rt-old')
    expect(outcome).toEqual({
      ok: true,
      tokens: { accessToken: 'a', refreshToken: 'r', idToken: 'i' },
    })
    expect(JSON.parse(String(seen[0]!.body))).toEqual({
      grant_type: 'refresh_token',
      client_id: 'client-1',
      refresh_token: 'rt-old',
      scope: 'openid profile email',
    })
  })

  it.each([
    [
      200,
      '{"access_token":"a"}',
      { ok: true, tokens: { accessToken: 'a', refreshToken: null, idToken: null } },
    ],
    [200, '{"refresh_token":"r"}', { ok: false, permanent: false, code: 'invalid_response' }],
    [
      401,
      '{"error":{"code":"refresh_token_reused"}}',
      {
        ok: false,
        permanent: true,
        code: 'refresh_token_reused',
        message: 'Refresh token was reused - re-login required',
      },
    ],
    [
      400,
      '{"error":"invalid_grant","error_description":"nope"}',
      {
        ok: false,
        permanent: false,
        code: 'invalid_grant',
        message: 'Token refresh failed with HTTP 400: nope',
      },
    ],
    [502, '<html>bad gateway</html>', { ok: false, permanent: false, code: 'http_502' }],
    [
      429,
      '{"error":{"code":"rate_limit_exceeded"}}',
      { ok: false, permanent: false, code: 'rate_limit_exceeded' },
    ],
  ])('HTTP %i %s', async (status, body, expected) => {
    expect(await requestTokenRefresh(clientAnswering(status, body), 'rt')).toMatchObject(expected)
  })

  it('classifies network errors and timeouts as transient', async () => {
    const base = clientAnswering(200, '{}')
    const failing =
      (err: Error): typeof fetch =>
      async () => {
        throw err
      }
    const timeout = Object.assign(new Error('t'), { name: 'TimeoutError' })
    expect(
      await requestTokenRefresh({ ...base, fetch: failing(new TypeError('fetch failed')) }, 'rt'),
    ).toMatchObject({
      ok: false,
      permanent: false,
      code: 'refresh_network_error',
    })
    expect(await requestTokenRefresh({ ...base, fetch: failing(timeout) }, 'rt')).toMatchObject({
      permanent: false,
      code: 'refresh_timeout',
    })
  })
})
