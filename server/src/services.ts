import type { IncomingHttpHeaders } from 'node:http'
import type { Config } from './config/index.js'
import { exclusiveRunner } from './db/index.js'
import { createAccountsService, type Account } from './modules/accounts/index.js'
import { createOAuthService } from './modules/oauth/index.js'
import { createDashboardAuth, proxyUserFrom } from './modules/dashboard-auth/index.js'
import { createApiKeys } from './modules/api-keys/index.js'
import {
  AccountPool,
  BalancerRepository,
  InFlight,
  PgSharedSlots,
} from './modules/balancer/index.js'
import { ModelRegistry } from './modules/models/index.js'
import { ProxyService, proxyRoutes } from './modules/proxy/index.js'
import { ConversationStore } from './modules/conversations/index.js'
import { UpstreamLink, WebSocketSessions, websocketRoutes } from './modules/websocket/index.js'
import {
  RequestLogWriter,
  RollupLogsRepository,
  RequestLogsService,
} from './modules/request-logs/index.js'
import {
  UsageHistoryRetention,
  UsageRepository,
  UsageService,
  codexUsageRoutes,
} from './modules/usage/index.js'
import { DashboardRepository, DashboardService } from './modules/dashboard/index.js'
import { Scheduler } from './lib/scheduler.js'
import { UpstreamClient } from './upstream/client.js'
import { createSettingsService } from './modules/settings/index.js'
import { createOverflowService } from './modules/overflow/index.js'
import { createAudit } from './modules/audit/index.js'
import { backgroundJobs } from './background-jobs.js'
import { registerDashboardScope } from './dashboard-scope.js'
import { Metrics, observedSink } from './modules/metrics/index.js'
import { followPeers, LocalBus, PgNotifyBus, type ClusterBus } from './modules/cluster/index.js'

import type { ServiceDeps, Services } from './services-types.js'

export type { ServiceDeps, Services } from './services-types.js'

/** Requests waiting for a free stream slot at most; beyond it they get a 429 at once. */
const ACCOUNT_QUEUE_MAX = 1000

/** CODEX_LB_DASHBOARD_AUTH_PROXY_HEADER (config checked that the proxies are a list). */
function authProxyOf(config: Config) {
  const header = config.dashboardAuthProxyHeader
  const trusted = config.trustedProxies
  return header && Array.isArray(trusted) ? { proxyUser: proxyUserFrom(header, trusted) } : {}
}

export function createServices(deps: ServiceDeps): Services {
  let afterImport: (account: Account) => void = () => undefined
  let afterReactivate: (account: Account) => Promise<void> = async () => undefined
  // Replicas on one PostgreSQL drop each other's stale caches at once (LISTEN/NOTIFY).
  const bus: ClusterBus =
    deps.config.database.kind === 'postgres'
      ? new PgNotifyBus(deps.config.database.url, deps.log)
      : new LocalBus()
  const accountsChanged = () => {
    pool.invalidate()
    bus.publish({ topic: 'accounts' })
  }
  const accounts = createAccountsService({
    db: deps.database.db,
    cipher: deps.cipher,
    config: deps.config,
    clock: deps.clock,
    log: deps.log,
    // Dashboard pause/delete/import and refresh deactivations take effect on the next pick.
    onChange: accountsChanged,
    onImported: (account) => afterImport(account),
    onReactivated: (account) => afterReactivate(account),
    egressDispatcher: (proxyUrl) => upstream.dispatcherFor(proxyUrl),
  })
  const settings = createSettingsService({
    db: deps.database.db,
    clock: deps.clock,
    defaultStickyTtlSeconds: deps.config.stickySessionTtlMs / 1000,
    defaultConcurrency: deps.config.concurrency,
    defaultHeadroom: deps.config.headroom,
    defaultRoutingStrategy: deps.config.routingStrategy,
    defaultOverflowMode: deps.config.overflow.mode,
    onChanged: () => bus.publish({ topic: 'settings' }),
  })
  const auditing = createAudit({
    db: deps.database.db,
    clock: deps.clock,
    log: deps.log,
    retentionDays: deps.config.auditRetentionDays,
  })
  const audit = auditing.log
  const dashboardAuth = createDashboardAuth({
    db: deps.database.db,
    settings,
    cipher: deps.cipher,
    clock: deps.clock,
    log: deps.log,
    audit,
    ...authProxyOf(deps.config),
    host: deps.config.host,
    passwordHashCost: deps.config.passwordHashCost,
  })
  const apiKeys = createApiKeys({
    db: deps.database.db,
    clock: deps.clock,
    settings,
    audit,
    onChanged: () => bus.publish({ topic: 'api-keys' }),
  })
  const { config, clock, log } = deps
  const oauth = createOAuthService({
    config,
    accounts,
    clock,
    log,
    ...(deps.oauthDevicePolling ? { devicePolling: deps.oauthDevicePolling } : {}),
  })
  const db = deps.database.db
  const upstream = new UpstreamClient({
    connectTimeoutMs: config.upstream.connectTimeoutMs,
    streamIdleTimeoutMs: config.upstream.streamIdleTimeoutMs,
  })
  const pool = new AccountPool(new BalancerRepository(db), clock, log, {
    snapshotTtlMs: 2000,
    stickyTtlMs: config.stickySessionTtlMs,
    onShared: (change) => bus.publish(change),
  })
  // Streams in flight per account in this process (the caps); recheck: a raised cap, a lifted limit.
  const inFlight = new InFlight({
    maxQueue: ACCOUNT_QUEUE_MAX,
    recheckMs: 1000,
    onLeftQueue: (ms) => metrics?.requests.queueWaited(ms),
  })
  // On a SQLite file the batches are written by a worker thread, off the event loop.
  const logWriter = new RequestLogWriter(db, log, { sqlitePath: deps.database.sqlitePath })
  // With other replicas up, a stream slot is also leased in PostgreSQL: the cap holds cluster-wide.
  const sharedSlots =
    deps.database.dialect === 'postgres'
      ? new PgSharedSlots(db, () => bus.peerCount(), log)
      : undefined
  const usage = new UsageService({
    repo: new UsageRepository(db),
    accounts,
    upstream,
    clock,
    log,
    config,
    onChange: accountsChanged,
    onLiveUsage: (accountId, windows) => pool.noteUsage(accountId, windows),
  })
  const models = new ModelRegistry({ accounts, upstream, config, log })
  // An account that became usable shows real quota, and the upstream's model list replaces the
  // bootstrap one, at once instead of after the next poll.
  const recheckUsage = async (account: Account) => {
    if (!config.usage.refreshEnabled) return
    await usage
      .refreshAccount(account)
      .catch((err: unknown) => log.warn({ err, accountId: account.id }, 'usage re-check failed'))
    usage.invalidate()
    pool.invalidate()
  }
  const refreshModels = () => {
    if (!config.models.registryEnabled) return
    models.refresh(clock.now()).catch((err: unknown) => log.warn({ err }, 'model refresh failed'))
  }
  // Imports only while background work runs (tests drive polling themselves); a reactivation
  // always re-checks before answering, so the very next request can use the account.
  let background = false
  afterImport = (account) => {
    if (!background) return
    refreshModels()
    void recheckUsage(account)
  }
  afterReactivate = async (account) => {
    if (background) refreshModels()
    await recheckUsage(account)
  }
  // Counts, facets and aggregates come from the hourly rollups; pages and search from the rows.
  const requestLogs = new RequestLogsService(new RollupLogsRepository(db))
  const usageHistory = new UsageRepository(db)
  const dashboard = new DashboardService({
    accounts,
    usage: usageHistory,
    repo: new DashboardRepository(db),
    logs: requestLogs,
    models,
    inFlight,
    clock,
  })
  const usageRetention = new UsageHistoryRetention(usageHistory, clock)
  // Overflow upstreams: an OpenAI-compatible API for when the accounts cannot serve.
  const overflow = createOverflowService({
    db,
    cipher: deps.cipher,
    clock,
    config: config.overflow,
    upstream,
    onChanged: () => bus.publish({ topic: 'overflow' }),
  })
  followPeers(bus, {
    forgetSettings: () => settings.forgetCached(),
    forgetAccounts: () => pool.invalidate(),
    forgetPin: (key) => pool.forgetPin(key),
    forgetOverflow: () => overflow.forgetCached(),
    forgetApiKeys: () => apiKeys.forgetCached(),
  })
  // Read at scrape time only (the closures may name what is created further down).
  const metrics = config.metrics.enabled
    ? new Metrics({
        accounts: () => pool.states(),
        inFlight: () => ({ streams: inFlight.total, queued: inFlight.queued }),
        logWriter: () => logWriter.stats,
        databasePool: () => deps.database.poolStats?.() ?? null,
        websocketSessions: () => websockets.size,
        clock: () => clock.now(),
      })
    : null
  const proxy = new ProxyService({
    inFlight,
    overflow,
    pool,
    liveUsage: usage,
    models,
    credentials: accounts,
    settings,
    upstream,
    logs: metrics ? observedSink(logWriter, metrics.requests) : logWriter,
    onFailover: (failure) => metrics?.requests.failedOver(failure.kind),
    sharedSlots,
    clock,
    config: config.upstream,
    log,
  })
  // Recent turns, so a follow-up sent as previous_response_id + new items can be rebuilt in full.
  const conversations = new ConversationStore(config.conversations)
  const websockets = new WebSocketSessions()
  const websocketDeps = {
    proxy,
    conversations,
    clock,
    keepaliveMs: config.websocket.keepaliveMs,
    maxFrameBytes: config.websocket.maxFrameBytes,
    idleTimeoutMs: config.websocket.idleTimeoutMs,
    usageHeaders: () => usage.headers(),
    upstreamIdleMs: config.upstream.streamIdleTimeoutMs,
    onRateLimits: (accountId: string, event: Record<string, unknown>) =>
      void usage.recordRateLimits(accountId, event),
    linkFor: (inbound: IncomingHttpHeaders) =>
      config.websocket.upstream
        ? new UpstreamLink(
            {
              url: `${config.upstream.baseUrl.replace(/^http/, 'ws')}/codex/responses`,
              connectTimeoutMs: config.upstream.connectTimeoutMs,
              idleTimeoutMs: config.upstream.streamIdleTimeoutMs,
              log,
              clock,
            },
            inbound,
          )
        : undefined,
  }
  const scheduler = new Scheduler(log, exclusiveRunner(db, deps.database.dialect))
  const jobs = backgroundJobs({
    config,
    clock,
    usage,
    models,
    accounts,
    pool,
    usageRetention,
    audit: auditing.service,
    reservations: apiKeys.reservations,
  })
  return {
    accounts,
    settings,
    inFlight,
    apiKeys,
    audit,
    auditService: auditing.service,
    metrics,
    pool,
    usage,
    models,
    logWriter,
    requestLogs,
    dashboard,
    usageRetention,
    scheduler,
    oauth,
    websockets,
    registerCodexUsageRoutes: async (scope) => {
      await scope.register(codexUsageRoutes, {
        usage,
        accounts,
        upstream,
        upstreamBaseUrl: config.upstream.baseUrl,
        timeoutMs: config.usage.fetchTimeoutMs,
        clock,
      })
    },
    registerDashboardRoutes: (api) =>
      registerDashboardScope(api, {
        db,
        cipher: deps.cipher,
        clock,
        dashboardAuth,
        settings,
        audit,
        auditService: auditing.service,
        apiKeys,
        overflow,
        accounts,
        usage,
        oauth,
        requestLogs,
        dashboard,
        allowedOrigins: config.dashboardAllowedOrigins,
      }),
    registerProxyRoutes: async (scope, prefix) => {
      await scope.register(proxyRoutes, {
        surface: prefix,
        proxy,
        usage,
        models,
        access: apiKeys.proxyAccess,
        clock,
        conversations,
      })
      await scope.register(websocketRoutes, {
        surface: prefix,
        access: apiKeys.proxyAccess,
        deps: websocketDeps,
        sessions: websockets,
      })
    },
    start: () => {
      background = true
      scheduler.start(jobs)
    },
    close: async () => {
      await oauth.close()
      await scheduler.stop()
      await pool.flush()
      await logWriter.close()
      await upstream.close()
      await sharedSlots?.close()
      await bus.close()
    },
  }
}
