import { fetch as undiciFetch, type Dispatcher } from 'undici'
import { asRecord } from '../../lib/json.js'
import { createEgressDispatcher } from '../../upstream/egress-proxy.js'
import { extractRefreshError, permanentReason } from './token-refresh.js'

export interface RefreshClientOptions {
  authBaseUrl: string
  clientId: string
  scope: string
  timeoutMs: number
  fetch?: typeof fetch
  /** The pooled dispatcher of an egress proxy; without it a refresh through one gets its own. */
  dispatcherFor?: (proxyUrl: string) => Dispatcher
}

export interface RefreshedTokens {
  accessToken: string
  /** Absent when the server did not rotate it: the old one stays valid (as the Codex CLI assumes). */
  refreshToken: string | null
  idToken: string | null
}

export type RefreshOutcome =
  | { ok: true; tokens: RefreshedTokens }
  | { ok: false; permanent: boolean; code: string; message: string }

function nonEmpty(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function failureFrom(status: number, body: unknown): RefreshOutcome {
  const { code, message } = extractRefreshError(body)
  const reason = code === undefined ? undefined : permanentReason(code)
  // Only the listed codes are permanent, whatever the status: a 400 without one may be a proxy or
  // server hiccup, and deactivating on a guess would take a working account out of rotation.
  if (reason !== undefined && code !== undefined)
    return { ok: false, permanent: true, code, message: reason }
  return {
    ok: false,
    permanent: false,
    code: code ?? `http_${status}`,
    message: `Token refresh failed with HTTP ${status}${message ? `: ${message}` : ''}`,
  }
}

type Posted = { kind: 'answered'; status: number; ok: boolean; body: unknown } | RefreshOutcome

interface Answer {
  status: number
  ok: boolean
  text: string
}

/** POSTs JSON directly, or through the account's egress proxy when it has one. */
async function post(
  options: RefreshClientOptions,
  egressProxy: string | null,
  init: { method: 'POST'; headers: Record<string, string>; body: string; signal: AbortSignal },
): Promise<Answer> {
  const url = `${options.authBaseUrl}/oauth/token`
  if (!egressProxy) {
    const response = await (options.fetch ?? fetch)(url, init)
    return { status: response.status, ok: response.ok, text: await response.text() }
  }
  const own = options.dispatcherFor
    ? null
    : createEgressDispatcher(egressProxy, { connectTimeoutMs: options.timeoutMs })
  try {
    const dispatcher = own ?? options.dispatcherFor?.(egressProxy)
    const response = await undiciFetch(url, { ...init, ...(dispatcher ? { dispatcher } : {}) })
    return { status: response.status, ok: response.ok, text: await response.text() }
  } finally {
    await own?.close()
  }
}

async function postGrant(
  options: RefreshClientOptions,
  refreshToken: string,
  egressProxy: string | null,
): Promise<Posted> {
  try {
    const response = await post(options, egressProxy, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        grant_type: 'refresh_token',
        client_id: options.clientId,
        refresh_token: refreshToken,
        scope: options.scope,
      }),
      signal: AbortSignal.timeout(options.timeoutMs),
    })
    const body = parseBody(response.text)
    return { kind: 'answered', status: response.status, ok: response.ok, body }
  } catch (err) {
    const name = (err as Error).name
    const timeout = name === 'TimeoutError' || name === 'AbortError'
    return {
      ok: false,
      permanent: false,
      code: timeout ? 'refresh_timeout' : 'refresh_network_error',
      message: timeout
        ? 'Token refresh timed out'
        : 'Token refresh could not reach the auth server',
    }
  }
}

/**
 * POSTs the refresh grant (§3.4: a JSON body, not form-encoded), through the account's egress proxy
 * when it has one. Never throws.
 */
export async function requestTokenRefresh(
  options: RefreshClientOptions,
  refreshToken: string,
  egressProxy: string | null = null,
): Promise<RefreshOutcome> {
  const posted = await postGrant(options, refreshToken, egressProxy)
  if (!('kind' in posted)) return posted
  if (!posted.ok) return failureFrom(posted.status, posted.body)
  const b = asRecord(posted.body) ?? {}
  const accessToken = nonEmpty(b.access_token)
  if (!accessToken) {
    return {
      ok: false,
      permanent: false,
      code: 'invalid_response',
      message: 'Token refresh response has no access_token',
    }
  }
  return {
    ok: true,
    tokens: { accessToken, refreshToken: nonEmpty(b.refresh_token), idToken: nonEmpty(b.id_token) },
  }
}
