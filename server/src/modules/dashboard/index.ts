export { DashboardRepository } from './repository.js'
export { DashboardService, type DashboardServiceDeps } from './service.js'
export { dashboardRoutes, type DashboardRoutesOptions } from './routes.js'
export {
  dashboardOverviewSchema,
  usageHistorySchema,
  usageSummarySchema,
  usageWindowSchema,
  type DashboardOverviewResponse,
  type ModelsResponse,
  type UsageHistoryResponse,
  type UsageSummaryResponse,
  type UsageWindowResponse,
} from './schemas.js'
export { TREND_BUCKETS, TREND_BUCKET_MS, buildTrends, trendStart } from './trends.js'
