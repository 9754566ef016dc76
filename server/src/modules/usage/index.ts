export { UsageService, type UsageServiceDeps } from './service.js'
export { UsageRepository, type LatestWindowRow } from './repository.js'
export {
  DEFAULT_WINDOW_MINUTES,
  pooledUsage,
  planCapacity,
  rateLimitHeaders,
  codexUsageBody,
  type PooledUsage,
  type PooledWindow,
} from './pooled-usage.js'
export { codexUsageRoutes, type CodexUsageRoutesOptions } from './codex-usage-routes.js'
export {
  USAGE_HISTORY_RETENTION_DAYS,
  UsageHistoryRetention,
  usageHistoryCutoff,
} from './retention.js'
