import { asRecord } from '../../lib/json.js'
import { DeviceCodeResponseSchema } from './device-code-schema.js'
import { extractRefreshError } from '../accounts/index.js'
import { OAuthUpstreamError, clip, safeOAuthCode } from './errors.js'

/*
 * Calls to the auth server for a login (original-proxy §3.2–3.3): the code exchange (form-encoded,
 * unlike the JSON refresh grant), and the device-code endpoints. Tokens only ever travel in the
 * return values; nothing here logs.
 */

export interface AuthClientOptions {
  authBaseUrl: string
  clientId: string
  timeoutMs: number
  fetch?: typeof fetch
}

export interface OAuthTokens {
  idToken: string
  accessToken: string
  refreshToken: string
}

export interface DeviceCode {
  deviceAuthId: string
  userCode: string
  /** The server's poll interval; 0 when it gave none. */
  intervalSeconds: number
  expiresInSeconds: number
}

export type DevicePoll =
  | { kind: 'pending' }
  | { kind: 'slow_down' }
  | { kind: 'expired' }
  | { kind: 'code'; code: string; codeVerifier: string }
  | { kind: 'tokens'; tokens: OAuthTokens }
  | { kind: 'error'; error: OAuthUpstreamError }

interface Answer {
  status: number
  body: unknown
}

const DEFAULT_DEVICE_EXPIRY_SECONDS = 900
const TOKEN_FIELDS = ['access_token', 'refresh_token', 'id_token'] as const

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

async function post(
  options: AuthClientOptions,
  path: string,
  body: URLSearchParams | Record<string, string>,
  signal?: AbortSignal,
): Promise<Answer> {
  const form = body instanceof URLSearchParams
  const timeout = AbortSignal.timeout(options.timeoutMs)
  try {
    const response = await (options.fetch ?? fetch)(`${options.authBaseUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json',
        accept: 'application/json',
      },
      body: form ? body.toString() : JSON.stringify(body),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    })
    return { status: response.status, body: parseJson(await response.text()) }
  } catch (err) {
    if (signal?.aborted) throw err
    if (timeout.aborted) {
      throw new OAuthUpstreamError('The auth server did not answer in time.', 'auth_server_timeout')
    }
    throw new OAuthUpstreamError('The auth server could not be reached.', 'auth_server_unreachable')
  }
}

/** The auth server's own code and description (`{"error":{…}}` or RFC 6749 §5.2), never a stack. */
export function oauthFailure(answer: Answer, fallbackCode: string): OAuthUpstreamError {
  const { code, message } = extractRefreshError(answer.body)
  const text = message ? clip(message) : `The auth server answered HTTP ${answer.status}.`
  return new OAuthUpstreamError(text, safeOAuthCode(code, fallbackCode))
}

/** All three tokens, or an error naming the missing ones (a partial set cannot be stored). */
export function readTokens(body: unknown): OAuthTokens {
  const b = asRecord(body) ?? {}
  const missing = TOKEN_FIELDS.filter((k) => typeof b[k] !== 'string' || b[k] === '')
  if (missing.length > 0) {
    throw new OAuthUpstreamError(
      `The token response has no ${missing.join(', ')}.`,
      'invalid_token_response',
    )
  }
  return {
    accessToken: b.access_token as string,
    refreshToken: b.refresh_token as string,
    idToken: b.id_token as string,
  }
}

export interface CodeExchange {
  code: string
  codeVerifier: string
  redirectUri: string
}

/** `grant_type=authorization_code`, form-encoded (§3.2). */
export async function exchangeCode(
  options: AuthClientOptions,
  input: CodeExchange,
  signal?: AbortSignal,
): Promise<OAuthTokens> {
  const form = new URLSearchParams([
    ['grant_type', 'authorization_code'],
    ['client_id', options.clientId],
    ['code', input.code],
    ['code_verifier', input.codeVerifier],
    ['redirect_uri', input.redirectUri],
  ])
  const answer = await post(options, '/oauth/token', form, signal)
  if (answer.status < 200 || answer.status >= 300) {
    throw oauthFailure(answer, 'token_exchange_failed')
  }
  return readTokens(answer.body)
}

function expirySeconds(expiresIn: number | undefined, expiresAt: string | undefined, now: number) {
  if (expiresIn !== undefined && expiresIn > 0) return expiresIn
  const at = expiresAt === undefined ? Number.NaN : Date.parse(expiresAt)
  if (Number.isFinite(at) && at > now) return Math.ceil((at - now) / 1000)
  return DEFAULT_DEVICE_EXPIRY_SECONDS
}

/** `POST /api/accounts/deviceauth/usercode` with `{client_id}` (§3.3). */
export async function requestDeviceCode(
  options: AuthClientOptions,
  now: number,
): Promise<DeviceCode> {
  const answer = await post(options, '/api/accounts/deviceauth/usercode', {
    client_id: options.clientId,
  })
  if (answer.status === 404) {
    throw new OAuthUpstreamError(
      'The auth server does not offer device-code sign-in.',
      'device_auth_unavailable',
    )
  }
  if (answer.status < 200 || answer.status >= 300) throw oauthFailure(answer, 'device_auth_failed')
  const parsed = DeviceCodeResponseSchema.safeParse(answer.body)
  const userCode = parsed.success ? (parsed.data.user_code ?? parsed.data.usercode) : undefined
  if (!parsed.success || !userCode) {
    throw new OAuthUpstreamError('The device-code answer has no code.', 'device_auth_failed')
  }
  return {
    deviceAuthId: parsed.data.device_auth_id,
    userCode,
    intervalSeconds: Math.max(0, parsed.data.interval ?? 0),
    expiresInSeconds: expirySeconds(parsed.data.expires_in, parsed.data.expires_at, now),
  }
}

const PENDING_CODES = new Set(['authorization_pending', 'pending'])
const EXPIRED_CODES = new Set(['expired_token', 'device_code_expired', 'token_expired'])

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

/**
 * One answer of the device token endpoint. 403/404 and 5xx mean "not yet" (the user has not
 * approved, or the server hiccuped: the next poll decides); RFC 8628 §3.5 codes drive the rest.
 */
export function classifyDevicePoll(answer: Answer): DevicePoll {
  const b = asRecord(answer.body) ?? {}
  if (answer.status >= 200 && answer.status < 300) {
    const code = str(b.authorization_code)
    const verifier = str(b.code_verifier)
    if (code && verifier) return { kind: 'code', code, codeVerifier: verifier }
    if (TOKEN_FIELDS.some((k) => k in b)) return tokensOrError(b)
    if (PENDING_CODES.has(str(b.status) ?? '')) return { kind: 'pending' }
    const error = new OAuthUpstreamError(
      'The device login answer is not understood.',
      'device_auth_failed',
    )
    return { kind: 'error', error }
  }
  if (answer.status === 403 || answer.status === 404 || answer.status >= 500) {
    return { kind: 'pending' }
  }
  const code = extractRefreshError(answer.body).code ?? ''
  if (code === 'slow_down') return { kind: 'slow_down' }
  if (PENDING_CODES.has(code) || PENDING_CODES.has(str(b.status) ?? '')) return { kind: 'pending' }
  if (EXPIRED_CODES.has(code)) return { kind: 'expired' }
  return { kind: 'error', error: oauthFailure(answer, 'device_auth_failed') }
}

function tokensOrError(body: Record<string, unknown>): DevicePoll {
  try {
    return { kind: 'tokens', tokens: readTokens(body) }
  } catch (err) {
    if (err instanceof OAuthUpstreamError) return { kind: 'error', error: err }
    throw err
  }
}

/** One poll; unreachable or slow auth servers count as pending (the loop's expiry bounds them). */
export async function pollDeviceToken(
  options: AuthClientOptions,
  device: Pick<DeviceCode, 'deviceAuthId' | 'userCode'>,
  signal: AbortSignal,
): Promise<DevicePoll> {
  try {
    const answer = await post(
      options,
      '/api/accounts/deviceauth/token',
      { device_auth_id: device.deviceAuthId, user_code: device.userCode },
      signal,
    )
    return classifyDevicePoll(answer)
  } catch (err) {
    if (err instanceof OAuthUpstreamError) return { kind: 'pending' }
    throw err
  }
}
