import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import type { Config } from './config/index.js'
import type { TokenCipher } from './crypto/index.js'
import type { DatabaseHandle } from './db/index.js'
import type { Clock } from './lib/clock.js'
import type { Scheduler } from './lib/scheduler.js'
import type { AccountsService } from './modules/accounts/index.js'
import type { ApiKeys } from './modules/api-keys/index.js'
import type { AuditLog, AuditService } from './modules/audit/index.js'
import type { AccountPool, InFlight } from './modules/balancer/index.js'
import type { DashboardService } from './modules/dashboard/index.js'
import type { Metrics } from './modules/metrics/index.js'
import type { ModelRegistry } from './modules/models/index.js'
import type { DevicePolling, OAuthService } from './modules/oauth/index.js'
import type { RequestLogWriter, RequestLogsService } from './modules/request-logs/index.js'
import type { SettingsService } from './modules/settings/index.js'
import type { UsageHistoryRetention, UsageService } from './modules/usage/index.js'
import type { WebSocketSessions } from './modules/websocket/index.js'

export interface ServiceDeps {
  config: Config
  database: DatabaseHandle
  cipher: TokenCipher
  clock: Clock
  log: FastifyBaseLogger
  /** How OAuth device-code polls wait (tests make them instant); production waits for real. */
  oauthDevicePolling?: DevicePolling
}

/**
 * The composition of module services; modules are wired here and nowhere else. Each module exposes
 * `createXxx(deps)` (a service object) and a Fastify plugin for its routes; this file creates the
 * services in dependency order and registers the route plugins in their scope.
 */
export interface Services {
  accounts: AccountsService
  /** Runtime settings; `settings.get()` is cached 5 s and is what the proxy reads per request. */
  settings: SettingsService
  /** API keys: dashboard CRUD, the proxy's key guard and limit reservations. */
  apiKeys: ApiKeys
  /** Records administrative actions (never fails the action it describes). */
  audit: AuditLog
  /** The dashboard's reads of the audit log, and its retention (a scheduled job). */
  auditService: AuditService
  /** Prometheus metrics for GET /metrics; null unless CODEX_LB_METRICS_ENABLED. */
  metrics: Metrics | null
  registerDashboardRoutes(scope: FastifyInstance): Promise<void>
  registerProxyRoutes(scope: FastifyInstance, prefix: string): Promise<void>
  /** `/api/codex/usage`: OpenAI envelope, Codex caller identity instead of the dashboard session. */
  registerCodexUsageRoutes(scope: FastifyInstance): Promise<void>
  pool: AccountPool
  /** Upstream streams in flight per account (caps, queue); reusable for other per-request caps. */
  inFlight: InFlight
  usage: UsageService
  models: ModelRegistry
  logWriter: RequestLogWriter
  /** Dashboard reads of request_logs (pages, facets, aggregates). */
  requestLogs: RequestLogsService
  /** Overview, usage windows and the model list for /api. */
  dashboard: DashboardService
  /** Deletes usage_history rows past retention (a scheduled job). */
  usageRetention: UsageHistoryRetention
  scheduler: Scheduler
  /** Sign-ins that add accounts (browser PKCE with a local callback, device code). */
  oauth: OAuthService
  /** Open client WebSockets: drained on shutdown. */
  websockets: WebSocketSessions
  /** Starts background jobs (usage polling, model registry, token refresh). */
  start(): void
  close(): Promise<void>
}
