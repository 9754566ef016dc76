import { createHash, randomBytes } from 'node:crypto'

/*
 * PKCE (RFC 7636) and the authorization URL of the Codex CLI's browser login (original-proxy §3.2).
 * The auth server only accepts this client's registered redirect and the exact parameter set below.
 */

export interface Pkce {
  /** 43 base64url characters (32 random bytes), like Python's `token_urlsafe(32)`. */
  verifier: string
  /** BASE64URL(SHA-256(verifier)) without padding: the S256 method (RFC 7636 §4.2). */
  challenge: string
}

export function createPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url')
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') }
}

/** The CSRF `state` (RFC 6749 §10.12): 16 random bytes, base64url. */
export function createState(): string {
  return randomBytes(16).toString('base64url')
}

/**
 * Percent-encodes everything but RFC 3986 unreserved characters. encodeURIComponent leaves
 * `!'()*` alone; the original (Python `quote`) encodes them, so we do too.
 */
export function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )
}

/** The scope with `offline_access` added when absent: without it no refresh token is issued. */
export function withOfflineAccess(scope: string): string {
  const parts = scope.split(/\s+/).filter((p) => p !== '')
  return parts.includes('offline_access') ? parts.join(' ') : [...parts, 'offline_access'].join(' ')
}

export interface AuthorizationUrlInput {
  authBaseUrl: string
  clientId: string
  redirectUri: string
  scope: string
  codeChallenge: string
  state: string
}

/** `{authBaseUrl}/oauth/authorize?…` with the parameters in the order the Codex CLI sends them. */
export function buildAuthorizationUrl(input: AuthorizationUrlInput): string {
  const params: Array<[string, string]> = [
    ['response_type', 'code'],
    ['client_id', input.clientId],
    ['redirect_uri', input.redirectUri],
    ['scope', withOfflineAccess(input.scope)],
    ['code_challenge', input.codeChallenge],
    ['code_challenge_method', 'S256'],
    ['state', input.state],
    ['id_token_add_organizations', 'true'],
    ['codex_cli_simplified_flow', 'true'],
    ['originator', 'codex_cli_rs'],
  ]
  const query = params.map(([k, v]) => `${k}=${encodeRfc3986(v)}`).join('&')
  return `${input.authBaseUrl}/oauth/authorize?${query}`
}
