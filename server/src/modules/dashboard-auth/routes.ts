import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { exposureWarnings } from '../../lib/exposure.js'
import type { ProxyUser } from './auth-proxy.js'
import type {} from '@fastify/cookie'
import { parseRequest } from '../../errors/index.js'
import { camelizeKeys } from '../../lib/casing.js'
import { auditClient, audited, type AuditLog } from '../audit/index.js'
import type { SettingsService } from '../settings/index.js'
import { sessionCookieOf } from './guard.js'
import type { PasswordService } from './password-service.js'
import {
  passwordBodySchema,
  passwordChangeBodySchema,
  statusOk,
  totpCodeBodySchema,
  totpConfirmBodySchema,
} from './schemas.js'
import { SESSION_COOKIE, SESSION_TTL_SECONDS, type SessionClaims } from './session-codec.js'
import { sessionState } from './session-policy.js'
import type { Sessions } from './sessions.js'
import type { TotpService } from './totp-service.js'

export interface DashboardAuthRouteDeps {
  settings: SettingsService
  sessions: Sessions
  password: PasswordService
  totp: TotpService
  audit: AuditLog
  proxyUser?: ProxyUser | undefined
  /** The bind address, to say on the dashboard when it is exposed without protection. */
  host?: string | undefined
}

/** HttpOnly, SameSite=Lax, Path=/; Secure only over https (the dashboard is often at http://127.0.0.1). */
export function cookieOptions(request: Pick<FastifyRequest, 'protocol'>) {
  const secure = request.protocol === 'https'
  return { path: '/', httpOnly: true, sameSite: 'lax', secure } as const
}

function setSession(request: FastifyRequest, reply: FastifyReply, token: string): void {
  void reply.setCookie(SESSION_COOKIE, token, {
    ...cookieOptions(request),
    maxAge: SESSION_TTL_SECONDS,
  })
}

function clearSession(request: FastifyRequest, reply: FastifyReply): void {
  void reply.clearCookie(SESSION_COOKIE, cookieOptions(request))
}

const body = (request: FastifyRequest) => camelizeKeys(request.body)

type ClaimsOf = (request: FastifyRequest) => Promise<SessionClaims | null>

/** The dashboard itself is the target of sign-ins and credential changes. */
const DASHBOARD = { type: 'dashboard', id: null }

function registerPasswordRoutes(
  scope: FastifyInstance,
  { password, audit }: DashboardAuthRouteDeps,
  claimsOf: ClaimsOf,
) {
  scope.post('/password/setup', async (request, reply) => {
    const entry = { action: 'auth.password_set', target: DASHBOARD } as const
    const issued = await audited(audit, request, entry, async () => {
      const input = parseRequest(passwordBodySchema, body(request))
      return password.setup(input.password, await claimsOf(request))
    })
    setSession(request, reply, issued.token)
    return issued.state
  })
  scope.post('/password/login', async (request, reply) => {
    const entry = {
      action: 'auth.login',
      target: DASHBOARD,
      details: { step: 'password' },
    } as const
    const issued = await audited(audit, request, entry, async () => {
      const input = parseRequest(passwordBodySchema, body(request))
      return password.login(input.password, request.ip)
    })
    setSession(request, reply, issued.token)
    return issued.state
  })
  scope.post('/password/change', async (request, reply) => {
    const entry = { action: 'auth.password_changed', target: DASHBOARD } as const
    const token = await audited(audit, request, entry, async () => {
      const claims = await claimsOf(request)
      const input = parseRequest(passwordChangeBodySchema, body(request))
      return password.change(claims, input.currentPassword, input.newPassword, request.ip)
    })
    setSession(request, reply, token)
    return statusOk
  })
  scope.delete('/password', async (request, reply) => {
    const entry = { action: 'auth.password_removed', target: DASHBOARD } as const
    await audited(audit, request, entry, async () => {
      const claims = await claimsOf(request)
      const input = parseRequest(passwordBodySchema, body(request))
      await password.remove(claims, input.password, request.ip)
    })
    clearSession(request, reply)
    return statusOk
  })
}

function registerTotpRoutes(
  scope: FastifyInstance,
  { totp, audit }: DashboardAuthRouteDeps,
  claimsOf: ClaimsOf,
) {
  scope.post('/totp/setup/start', async (request) => totp.start(await claimsOf(request)))
  scope.post('/totp/setup/confirm', async (request) => {
    const entry = { action: 'auth.totp_enabled', target: DASHBOARD } as const
    await audited(audit, request, entry, async () => {
      const claims = await claimsOf(request)
      const input = parseRequest(totpConfirmBodySchema, body(request))
      await totp.confirm(claims, input.secret, input.code, request.ip)
    })
    return statusOk
  })
  scope.post('/totp/verify', async (request, reply) => {
    const entry = { action: 'auth.login', target: DASHBOARD, details: { step: 'totp' } } as const
    const issued = await audited(audit, request, entry, async () => {
      const claims = await claimsOf(request)
      const input = parseRequest(totpCodeBodySchema, body(request))
      return totp.verify(claims, input.code, request.ip)
    })
    setSession(request, reply, issued.token)
    return issued.state
  })
  scope.post('/totp/disable', async (request) => {
    const entry = { action: 'auth.totp_disabled', target: DASHBOARD } as const
    await audited(audit, request, entry, async () => {
      const claims = await claimsOf(request)
      const input = parseRequest(totpCodeBodySchema, body(request))
      await totp.disable(claims, input.code, request.ip)
    })
    return statusOk
  })
}

/**
 * `/api/dashboard-auth/*`: no session guard (each endpoint checks what it needs itself); the CSRF
 * hook of the /api scope still applies. Handlers parse, call a service, set or clear the cookie.
 */
export function dashboardAuthRoutes(deps: DashboardAuthRouteDeps): FastifyPluginAsync {
  const { settings, sessions, audit } = deps
  const claimsOf: ClaimsOf = async (request) => sessions.read(sessionCookieOf(request))

  return async (scope) => {
    scope.get('/session', async (request) => {
      const current = await settings.get()
      // Vouched for by the authenticating proxy: every factor counts as done.
      const vouched = deps.proxyUser?.(request)
      const claims = vouched
        ? { pw: true, tv: true, ep: current.sessionEpoch }
        : await claimsOf(request)
      // Present only when something is exposed, so the usual answer stays the seeds' shape.
      const exposure = deps.host === undefined ? [] : exposureWarnings(deps.host, current)
      return { ...sessionState(current, claims), ...(exposure.length ? { exposure } : {}) }
    })
    registerPasswordRoutes(scope, deps, claimsOf)
    registerTotpRoutes(scope, deps, claimsOf)
    scope.post('/logout', async (request, reply) => {
      // Revoked on the server first: a copy of the cookie must not outlive the logout.
      const claims = await claimsOf(request)
      if (claims !== null) await sessions.revoke(claims)
      clearSession(request, reply)
      await audit.record({ action: 'auth.logout', target: DASHBOARD, client: auditClient(request) })
      return statusOk
    })
  }
}
