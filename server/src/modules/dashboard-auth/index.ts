import type { FastifyBaseLogger, FastifyPluginAsync } from 'fastify'
import type { Kysely } from 'kysely'
import type { TokenCipher } from '../../crypto/index.js'
import type { Database } from '../../db/schema.js'
import type { Clock } from '../../lib/clock.js'
import type { AuditLog } from '../audit/index.js'
import type { SettingsService } from '../settings/index.js'
import type { ProxyUser } from './auth-proxy.js'
import { createDashboardGuard, type RequestHook } from './guard.js'
import { passwordHasher } from './password.js'
import { PasswordService } from './password-service.js'
import { FailureRateLimiter } from './rate-limiter.js'
import { createReauthenticate, type Reauthenticate } from './reauth.js'
import { AuthRepository } from './repository.js'
import { dashboardAuthRoutes } from './routes.js'
import { SESSION_KEY_PURPOSE, SessionCodec } from './session-codec.js'
import { SessionRevocations } from './session-revocations.js'
import { Sessions } from './sessions.js'
import { TotpService } from './totp-service.js'

export { proxyUserFrom, type ProxyUser } from './auth-proxy.js'
export type { RequestHook } from './guard.js'
export { FailureRateLimiter } from './rate-limiter.js'
export type { ReauthInput, Reauthenticate } from './reauth.js'
export { SESSION_KEY_PURPOSE, SessionCodec, newSessionId } from './session-codec.js'

export interface DashboardAuth {
  /** `onRequest` hook for every guarded /api scope. */
  readonly guard: RequestHook
  /** The `/api/dashboard-auth` plugin (register with that prefix, outside the guarded scope). */
  readonly routes: FastifyPluginAsync
  /** The password (and a TOTP code when configured) again, before handing out secrets. */
  readonly reauthenticate: Reauthenticate
}

export function createDashboardAuth(deps: {
  db: Kysely<Database>
  settings: SettingsService
  cipher: TokenCipher
  clock: Clock
  log: FastifyBaseLogger
  audit: AuditLog
  /** CODEX_LB_DASHBOARD_AUTH_PROXY_HEADER mode: the proxy's user, from trusted proxies only. */
  proxyUser?: ProxyUser
  host?: string
  /** CODEX_LB_PASSWORD_HASH_COST (12 when absent). */
  passwordHashCost?: number
}): DashboardAuth {
  const { settings, clock } = deps
  const hasher = passwordHasher(deps.passwordHashCost)
  const repository = new AuthRepository(deps.db)
  const sessions = new Sessions(
    new SessionCodec(deps.cipher.deriveKey(SESSION_KEY_PURPOSE)),
    clock,
    new SessionRevocations(deps.db),
  )
  const password = new PasswordService({
    repository,
    settings,
    sessions,
    limiter: new FailureRateLimiter(),
    clock,
    hasher,
  })
  const totp = new TotpService({
    repository,
    settings,
    sessions,
    cipher: deps.cipher,
    limiter: new FailureRateLimiter(),
    clock,
  })
  return {
    guard: createDashboardGuard({ settings, sessions, log: deps.log, proxyUser: deps.proxyUser }),
    routes: dashboardAuthRoutes({
      settings,
      sessions,
      password,
      totp,
      audit: deps.audit,
      proxyUser: deps.proxyUser,
      host: deps.host,
    }),
    reauthenticate: createReauthenticate({ repository, cipher: deps.cipher, clock, hasher }),
  }
}
