import { randomBytes, randomUUID } from 'node:crypto'

/** The claim namespace ChatGPT tokens carry account data under (reference original-proxy §3.5). */
export const AUTH_CLAIM = 'https://api.openai.com/auth'
export const PROFILE_CLAIM = 'https://api.openai.com/profile'
export const CODEX_CLIENT_ID = 'app_EMoamEEZ73f0CkXaXp7hrann'

/** The Codex CLI `auth.json` written by `codex login` in ChatGPT mode. */
export interface CodexAuthJson {
  OPENAI_API_KEY: null
  tokens: { id_token: string; access_token: string; refresh_token: string; account_id: string }
  last_refresh: string
}

export interface TokenSet {
  accessToken: string
  refreshToken: string
  idToken: string
}

export interface TokenClaimsInput {
  email: string
  chatgptAccountId: string
  planType: string
  /** Lifetime of the access and id tokens; negative gives already-expired tokens. */
  ttlSeconds?: number
  /** Seconds since the epoch; defaults to now. */
  now?: number
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

/** An unsecured JWT (RFC 7519 §6: `alg: none`, empty signature); the proxy never verifies them. */
export function makeJwt(payload: Record<string, unknown>): string {
  return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(payload)}.`
}

export function decodeJwtPayload(token: string): Record<string, unknown> {
  const part = token.split('.')[1]
  if (part === undefined) throw new Error('not a JWT')
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>
}

/** Access and id tokens shaped like ChatGPT's, plus an opaque refresh token; each call is unique. */
export function makeTokenSet(input: TokenClaimsInput): TokenSet {
  const now = input.now ?? Math.floor(Date.now() / 1000)
  const exp = now + (input.ttlSeconds ?? 10 * 24 * 3600)
  const userId = `user-${input.chatgptAccountId.slice(0, 8)}`
  const auth = {
    chatgpt_account_id: input.chatgptAccountId,
    chatgpt_plan_type: input.planType,
    chatgpt_user_id: userId,
    user_id: userId,
  }
  const accessToken = makeJwt({
    aud: ['https://api.openai.com/v1'],
    client_id: CODEX_CLIENT_ID,
    email: input.email,
    exp,
    iat: now,
    nbf: now,
    iss: 'https://auth.openai.com',
    jti: randomUUID(),
    scp: ['openid', 'profile', 'email', 'offline_access'],
    sub: `auth0|${userId}`,
    [AUTH_CLAIM]: auth,
    [PROFILE_CLAIM]: { email: input.email, email_verified: true },
  })
  const idToken = makeJwt({
    aud: [CODEX_CLIENT_ID],
    email: input.email,
    email_verified: true,
    exp,
    iat: now,
    auth_time: now,
    iss: 'https://auth.openai.com',
    jti: randomUUID(),
    sub: `auth0|${userId}`,
    [AUTH_CLAIM]: { ...auth, organizations: [] },
  })
  return { accessToken, refreshToken: `rt_${randomBytes(24).toString('base64url')}`, idToken }
}

export function makeAuthJson(
  tokens: TokenSet,
  chatgptAccountId: string,
  lastRefresh: Date = new Date(),
): CodexAuthJson {
  return {
    OPENAI_API_KEY: null,
    tokens: {
      id_token: tokens.idToken,
      access_token: tokens.accessToken,
      refresh_token: tokens.refreshToken,
      account_id: chatgptAccountId,
    },
    last_refresh: lastRefresh.toISOString(),
  }
}
