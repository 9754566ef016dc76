import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type {} from '@fastify/cookie'
import { parseRequest } from '../../errors/index.js'
import { camelizeKeys } from '../../lib/casing.js'
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

type ClaimsOf = (request: FastifyRequest) => SessionClaims | null

function registerPasswordRoutes(
  scope: FastifyInstance,
  password: PasswordService,
  claimsOf: ClaimsOf,
) {
  scope.post('/password/setup', async (request, reply) => {
    const input = parseRequest(passwordBodySchema, body(request))
    const issued = await password.setup(input.password, claimsOf(request))
    setSession(request, reply, issued.token)
    return issued.state
  })
  scope.post('/password/login', async (request, reply) => {
    const input = parseRequest(passwordBodySchema, body(request))
    const issued = await password.login(input.password, request.ip)
    setSession(request, reply, issued.token)
    return issued.state
  })
  scope.post('/password/change', async (request, reply) => {
    const claims = claimsOf(request)
    const input = parseRequest(passwordChangeBodySchema, body(request))
    const token = await password.change(
      claims,
      input.currentPassword,
      input.newPassword,
      request.ip,
    )
    setSession(request, reply, token)
    return statusOk
  })
  scope.delete('/password', async (request, reply) => {
    const claims = claimsOf(request)
    const input = parseRequest(passwordBodySchema, body(request))
    await password.remove(claims, input.password, request.ip)
    clearSession(request, reply)
    return statusOk
  })
}

function registerTotpRoutes(scope: FastifyInstance, totp: TotpService, claimsOf: ClaimsOf) {
  scope.post('/totp/setup/start', async (request) => totp.start(claimsOf(request)))
  scope.post('/totp/setup/confirm', async (request) => {
    const claims = claimsOf(request)
    const input = parseRequest(totpConfirmBodySchema, body(request))
    await totp.confirm(claims, input.secret, input.code, request.ip)
    return statusOk
  })
  scope.post('/totp/verify', async (request, reply) => {
    const claims = claimsOf(request)
    const input = parseRequest(totpCodeBodySchema, body(request))
    const issued = await totp.verify(claims, input.code, request.ip)
    setSession(request, reply, issued.token)
    return issued.state
  })
  scope.post('/totp/disable', async (request) => {
    const claims = claimsOf(request)
    const input = parseRequest(totpCodeBodySchema, body(request))
    await totp.disable(claims, input.code, request.ip)
    return statusOk
  })
}

/**
 * `/api/dashboard-auth/*`: no session guard (each endpoint checks what it needs itself); the CSRF
 * hook of the /api scope still applies. Handlers parse, call a service, set or clear the cookie.
 */
export function dashboardAuthRoutes(deps: DashboardAuthRouteDeps): FastifyPluginAsync {
  const { settings, sessions, password, totp } = deps
  const claimsOf: ClaimsOf = (request) => sessions.read(sessionCookieOf(request))

  return async (scope) => {
    scope.get('/session', async (request) => sessionState(await settings.get(), claimsOf(request)))
    registerPasswordRoutes(scope, password, claimsOf)
    registerTotpRoutes(scope, totp, claimsOf)
    scope.post('/logout', async (request, reply) => {
      clearSession(request, reply)
      return statusOk
    })
  }
}
