import { randomBytes } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import type { TokenSet } from '../jwt.js'
import type { AccountState, AccountStore } from './accounts.js'
import { errorBody, field, sendJson } from './http.js'
import type { Script } from './script.js'
import { sleep } from './sse-writer.js'
import type {
  AuthCodeOptions,
  DeviceScript,
  DeviceSession,
  RecordedRequest,
  RefreshBehaviour,
} from './types.js'

const REUSED_MESSAGE =
  'Your refresh token has already been used to generate a new access token. Please try signing in again.'

interface AuthCode {
  state: AccountState
  codeVerifier: string | undefined
  options: AuthCodeOptions
  used: boolean
}

function tokenResponse(tokens: TokenSet) {
  return {
    access_token: tokens.accessToken,
    refresh_token: tokens.refreshToken,
    id_token: tokens.idToken,
    token_type: 'Bearer',
    expires_in: 864000,
    scope: 'openid profile email offline_access',
  }
}

/** `{auth_base_url}/oauth/token` and the device-code endpoints (reference original-proxy §3.2–3.4). */
export class OAuthFake {
  readonly refreshScripts = new Map<AccountState, Script<RefreshBehaviour>>()
  readonly deviceSessions: DeviceSession[] = []
  deviceScript: DeviceScript | undefined
  private readonly codes = new Map<string, AuthCode>()

  constructor(private readonly accounts: AccountStore) {}

  registerCode(
    code: string,
    state: AccountState,
    codeVerifier?: string,
    options: AuthCodeOptions = {},
  ): void {
    this.codes.set(code, { state, codeVerifier, options, used: false })
  }

  reset(): void {
    this.refreshScripts.clear()
    this.deviceScript = undefined
  }

  async token(req: RecordedRequest, res: ServerResponse, signal: AbortSignal): Promise<void> {
    const grant = field(req.body, 'grant_type')
    if (grant === 'refresh_token') return this.refresh(req, res, signal)
    if (grant === 'authorization_code') return this.exchange(req, res)
    sendJson(res, 400, errorBody('unsupported_grant_type', `Unsupported grant_type ${grant}`))
  }

  private async refresh(req: RecordedRequest, res: ServerResponse, signal: AbortSignal) {
    const lookup = this.accounts.lookupRefresh(field(req.body, 'refresh_token') ?? '')
    if (lookup.kind === 'unknown') {
      const body = errorBody(
        'refresh_token_invalidated',
        'Your refresh token has been invalidated.',
      )
      return sendJson(res, 401, body)
    }
    req.account = lookup.state.account
    lookup.state.refreshAttempts += 1
    if (lookup.kind === 'reused') {
      return sendJson(res, 401, errorBody('refresh_token_reused', REUSED_MESSAGE))
    }
    const behaviour = this.refreshScripts.get(lookup.state)?.next() ?? { kind: 'ok' }
    if (behaviour.kind === 'error') {
      const message = behaviour.message ?? `Fake refresh failure: ${behaviour.code}`
      return sendJson(res, behaviour.status ?? 401, errorBody(behaviour.code, message))
    }
    if (behaviour.kind === 'http-error') {
      const body = behaviour.body ?? errorBody('server_error', 'Fake refresh failure')
      return sendJson(res, behaviour.status, body, behaviour.headers)
    }
    if (behaviour.kind === 'slow') await sleep(behaviour.ms, signal)
    if (signal.aborted) return
    const tokens = this.accounts.rotate(lookup.state, field(req.body, 'refresh_token') ?? '')
    sendJson(res, 200, tokenResponse(tokens))
  }

  private exchange(req: RecordedRequest, res: ServerResponse): void {
    const code = this.codes.get(field(req.body, 'code') ?? '')
    const verifier = field(req.body, 'code_verifier')
    const invalid = (message: string) => sendJson(res, 400, errorBody('invalid_grant', message))
    if (!code) return invalid('Unknown authorization code')
    req.account = code.state.account
    if (code.used) return invalid('Authorization code already used')
    if (!verifier) return invalid('Missing code_verifier')
    if (code.codeVerifier !== undefined && code.codeVerifier !== verifier) {
      return invalid('code_verifier does not match')
    }
    code.used = true
    const body: Record<string, unknown> = tokenResponse(this.accounts.issue(code.state))
    for (const key of code.options.omitTokens ?? []) delete body[key]
    sendJson(res, 200, body)
  }

  userCode(res: ServerResponse): void {
    const script = this.deviceScript
    if (!script) {
      const message = 'fake upstream: call fake.scriptDevice() before the device flow starts'
      return sendJson(res, 500, errorBody('fake_not_scripted', message))
    }
    if (script.unavailable) return sendJson(res, 404, errorBody('not_found', 'Not found'))
    const expiresIn = script.expiresInSeconds ?? 900
    const session: DeviceSession = {
      deviceAuthId: `deviceauth_${randomBytes(8).toString('hex')}`,
      userCode: `${randomBytes(2).toString('hex')}-${randomBytes(2).toString('hex')}`.toUpperCase(),
      polls: 0,
      expiresAt: Date.now() + expiresIn * 1000,
      authorizationCode: undefined,
      codeVerifier: undefined,
      script,
    }
    this.deviceSessions.push(session)
    sendJson(res, 200, {
      device_auth_id: session.deviceAuthId,
      user_code: session.userCode,
      interval: String(script.intervalSeconds ?? 0),
      expires_in: expiresIn,
      expires_at: new Date(session.expiresAt).toISOString(),
    })
  }

  devicePoll(req: RecordedRequest, res: ServerResponse): void {
    const id = field(req.body, 'device_auth_id')
    const session = this.deviceSessions.find((s) => s.deviceAuthId === id)
    if (!session || session.userCode !== field(req.body, 'user_code')) {
      return sendJson(res, 400, errorBody('invalid_request', 'Unknown device_auth_id/user_code'))
    }
    const { script } = session
    session.polls += 1
    const slowDown = script.slowDownPolls ?? 0
    const expired = () => sendJson(res, 400, errorBody('expired_token', 'Device code expired'))
    if (Date.now() > session.expiresAt) return expired()
    if (session.polls <= slowDown) {
      return sendJson(res, 400, errorBody('slow_down', 'Polling too fast'))
    }
    if (session.polls <= slowDown + (script.pendingPolls ?? 1)) {
      const body = errorBody('authorization_pending', 'Authorization pending')
      return sendJson(res, script.pendingStatus ?? 403, body)
    }
    if (script.outcome === 'expired') return expired()
    if (script.outcome === 'denied') {
      return sendJson(res, 400, errorBody('access_denied', 'The user denied the request'))
    }
    const state = this.accounts.get(script.account)
    req.account = state.account
    if (session.authorizationCode === undefined || session.codeVerifier === undefined) {
      session.authorizationCode = `ac_${randomBytes(16).toString('hex')}`
      session.codeVerifier = randomBytes(32).toString('base64url')
      this.registerCode(session.authorizationCode, state, session.codeVerifier)
    }
    sendJson(res, 200, {
      authorization_code: session.authorizationCode,
      code_verifier: session.codeVerifier,
      code_challenge: 'fake-challenge',
    })
  }
}
