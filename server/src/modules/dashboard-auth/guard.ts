import type {} from '@fastify/cookie'
import type { FastifyBaseLogger, FastifyRequest } from 'fastify'
import { DashboardAuthError } from '../../errors/index.js'
import type { ProxyUser } from './auth-proxy.js'
import { SESSION_COOKIE } from './session-codec.js'
import { evaluateAccess, isMigrationInconsistent, type AuthSettings } from './session-policy.js'
import { totpRequiredError, type Sessions } from './sessions.js'

export type RequestHook = (request: FastifyRequest) => Promise<void>

/** The raw session cookie. @fastify/cookie parses it (registered on the /api scope in services.ts). */
export function sessionCookieOf(request: FastifyRequest): string | undefined {
  // Optional chaining: a scope without the cookie plugin has no `cookies`, which means no session.
  return request.cookies?.[SESSION_COOKIE]
}

/**
 * The dashboard session guard (seed 003), installed as an `onRequest` hook on the scope that holds
 * every /api route except /api/dashboard-auth: it runs before body parsing and validation, so an
 * unauthenticated request with a bad body gets 401, not 422.
 */
export function createDashboardGuard(deps: {
  settings: { get(): Promise<AuthSettings> }
  sessions: Sessions
  log: Pick<FastifyBaseLogger, 'warn'>
  /** An authenticating reverse proxy's user, when that mode is configured. */
  proxyUser?: ProxyUser | undefined
}): RequestHook {
  let warned = false
  return async (request) => {
    if (deps.proxyUser?.(request)) return
    const settings = await deps.settings.get()
    if (isMigrationInconsistent(settings)) {
      if (!warned) {
        deps.log.warn(
          { event: 'dashboard_auth_migration_inconsistency' },
          'dashboard_auth_migration_inconsistency: TOTP is required on login but no password is set; ' +
            'the dashboard stays locked (set a password, log in, then verify TOTP)',
        )
      }
      warned = true
    } else {
      warned = false
    }
    const verdict = evaluateAccess(settings, await deps.sessions.read(sessionCookieOf(request)))
    if (verdict.ok) return
    throw verdict.code === 'totp_required' ? totpRequiredError() : new DashboardAuthError()
  }
}
