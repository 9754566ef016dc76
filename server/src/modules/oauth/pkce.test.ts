import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  buildAuthorizationUrl,
  createPkce,
  createState,
  encodeRfc3986,
  withOfflineAccess,
} from './pkce.js'

describe('pkce', () => {
  it('makes a 43-character verifier and its S256 challenge', () => {
    const { verifier, challenge } = createPkce()
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64url'))
    expect(challenge).not.toContain('=')
    expect(createPkce().verifier).not.toBe(verifier)
  })

  it('matches the RFC 7636 appendix B example', () => {
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'
    expect(createHash('sha256').update(verifier).digest('base64url')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    )
  })

  it('makes a 22-character state', () => {
    expect(createState()).toMatch(/^[A-Za-z0-9_-]{22}$/)
  })

  it.each([
    ['http://localhost:1455/auth/callback', 'http%3A%2F%2Flocalhost%3A1455%2Fauth%2Fcallback'],
    ['openid profile', 'openid%20profile'],
    ["a!b'c(d)e*f~g.h_i-j", 'a%21b%27c%28d%29e%2Af~g.h_i-j'],
  ])('percent-encodes %s as RFC 3986', (raw, encoded) => {
    expect(encodeRfc3986(raw)).toBe(encoded)
  })

  it.each([
    ['openid profile email', 'openid profile email offline_access'],
    ['openid  offline_access profile', 'openid offline_access profile'],
  ])('adds offline_access to %j once', (scope, expected) => {
    expect(withOfflineAccess(scope)).toBe(expected)
  })

  it('builds the authorize URL with the parameters in the Codex CLI order', () => {
    const url = buildAuthorizationUrl({
      authBaseUrl: 'https://auth.openai.com',
      clientId: 'app_EMoamEEZ73f0CkXaXp7hrann',
      redirectUri: 'http://localhost:1455/auth/callback',
      scope: 'openid profile email',
      codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      state: 'st4te',
    })
    expect(url).toBe(
      'https://auth.openai.com/oauth/authorize?response_type=code' +
        '&client_id=app_EMoamEEZ73f0CkXaXp7hrann' +
        '&redirect_uri=http%3A%2F%2Flocalhost%3A1455%2Fauth%2Fcallback' +
        '&scope=openid%20profile%20email%20offline_access' +
        '&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM' +
        '&code_challenge_method=S256&state=st4te&id_token_add_organizations=true' +
        '&codex_cli_simplified_flow=true&originator=codex_cli_rs',
    )
  })
})
