export { UsageService, type UsageServiceDeps } from './service.js'
export { UsageRepository } from './repository.js'
export { pooledUsage, rateLimitHeaders, codexUsageBody, type PooledUsage } from './pooled-usage.js'
export { codexUsageRoutes, type CodexUsageRoutesOptions } from './codex-usage-routes.js'
