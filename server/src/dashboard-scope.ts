import fastifyCookie from '@fastify/cookie'
import type { FastifyInstance } from 'fastify'
import type { Kysely } from 'kysely'
import type { TokenCipher } from './crypto/index.js'
import type { Database } from './db/schema.js'
import type { Clock } from './lib/clock.js'
import {
  EXPORT_ATTEMPTS,
  EXPORT_WINDOW_MS,
  accountHistoryRoutes,
  accountsRoutes,
  authJsonExportRoutes,
  createAccountHistory,
  createCredentialsExporter,
  type AccountsService,
} from './modules/accounts/index.js'
import type { ApiKeys } from './modules/api-keys/index.js'
import { auditRoutes, type AuditLog, type AuditService } from './modules/audit/index.js'
import { dashboardRoutes, type DashboardService } from './modules/dashboard/index.js'
import { crossSiteCheck } from './http/cross-site.js'
import { FailureRateLimiter, type DashboardAuth } from './modules/dashboard-auth/index.js'
import { oauthRoutes, type OAuthService } from './modules/oauth/index.js'
import { overflowRoutes, type OverflowService } from './modules/overflow/index.js'
import { ReportsRepository, ReportsService, reportsRoutes } from './modules/reports/index.js'
import {
  RequestLogDetailRepository,
  RequestLogDetailService,
  RequestLogsExportRepository,
  RequestLogsExporter,
  requestLogDetailRoutes,
  requestLogsRoutes,
  type RequestLogsService,
} from './modules/request-logs/index.js'
import { settingsRoutes, type SettingsService } from './modules/settings/index.js'
import type { UsageService } from './modules/usage/index.js'

/** What the /api scope serves, as services.ts created it. */
export interface DashboardParts {
  db: Kysely<Database>
  cipher: TokenCipher
  clock: Clock
  dashboardAuth: DashboardAuth
  settings: SettingsService
  audit: AuditLog
  auditService: AuditService
  apiKeys: ApiKeys
  overflow: OverflowService
  accounts: AccountsService
  usage: UsageService
  oauth: OAuthService
  requestLogs: RequestLogsService
  dashboard: DashboardService
  /** CODEX_LB_DASHBOARD_ALLOWED_ORIGINS: accepted besides the dashboard's own origin. */
  allowedOrigins: readonly string[]
}

/**
 * The /api scope: cookies and the cross-origin check for all of it; /api/dashboard-auth checks
 * the session each endpoint needs itself; everything else sits behind the session guard, an
 * onRequest hook that runs before body validation (so no session means 401, never 422).
 * (/api/codex/usage, with its own caller check, is registered outside.)
 */
export async function registerDashboardScope(
  api: FastifyInstance,
  parts: DashboardParts,
): Promise<void> {
  const { db, clock, dashboardAuth, audit } = parts
  await api.register(fastifyCookie)
  api.addHook('onRequest', crossSiteCheck(parts.allowedOrigins))
  await api.register(dashboardAuth.routes, { prefix: '/dashboard-auth' })
  await api.register(async (scope) => {
    scope.addHook('onRequest', dashboardAuth.guard)
    await scope.register(settingsRoutes(parts.settings, audit), { prefix: '/settings' })
    await scope.register(parts.apiKeys.routes, { prefix: '/api-keys' })
    await scope.register(overflowRoutes(parts.overflow, audit), { prefix: '/overflow-upstreams' })
    await scope.register(accountsRoutes, {
      service: parts.accounts,
      audit,
      checkUsage: (account) => parts.usage.checkAccount(account),
    })
    await scope.register(accountHistoryRoutes, {
      history: createAccountHistory({ db, accounts: parts.accounts, clock }),
    })
    await scope.register(authJsonExportRoutes, {
      exporter: createCredentialsExporter({
        db,
        cipher: parts.cipher,
        clock,
        reauthenticate: dashboardAuth.reauthenticate,
        limiter: new FailureRateLimiter(EXPORT_ATTEMPTS, EXPORT_WINDOW_MS),
        audit,
      }),
    })
    await scope.register(oauthRoutes, { service: parts.oauth, audit })
    await scope.register(requestLogsRoutes, {
      service: parts.requestLogs,
      exporter: new RequestLogsExporter(new RequestLogsExportRepository(db)),
    })
    await scope.register(requestLogDetailRoutes, {
      service: new RequestLogDetailService(new RequestLogDetailRepository(db)),
    })
    await scope.register(dashboardRoutes, { service: parts.dashboard })
    await scope.register(auditRoutes, { service: parts.auditService })
    await scope.register(reportsRoutes, {
      service: new ReportsService(new ReportsRepository(db), clock),
    })
  })
}
