import type { FastifyPluginAsync } from 'fastify'
import { parseRequest } from '../../errors/index.js'
import { usageHistoryQuerySchema, usageWindowQuerySchema } from './schemas.js'
import type {
  DashboardOverviewResponse,
  ModelsResponse,
  UsageHistoryResponse,
  UsageSummaryResponse,
  UsageWindowResponse,
} from './schemas.js'
import type { DashboardService } from './service.js'

export interface DashboardRoutesOptions {
  service: DashboardService
}

/**
 * `/api/dashboard/overview`, `/api/models` and `/api/usage/{summary,history,window}`, registered
 * inside the guarded dashboard scope (its error handler turns bad queries into 422s).
 */
export const dashboardRoutes: FastifyPluginAsync<DashboardRoutesOptions> = async (app, opts) => {
  const { service } = opts

  app.get('/dashboard/overview', async (): Promise<DashboardOverviewResponse> => service.overview())

  app.get('/models', async (): Promise<ModelsResponse> => service.models())

  app.get('/usage/summary', async (): Promise<UsageSummaryResponse> => service.usageSummary())

  app.get('/usage/history', async (request): Promise<UsageHistoryResponse> => {
    const { hours } = parseRequest(usageHistoryQuerySchema, request.query)
    return service.usageHistory(hours)
  })

  app.get('/usage/window', async (request): Promise<UsageWindowResponse> => {
    const { window } = parseRequest(usageWindowQuerySchema, request.query)
    return service.usageWindow(window)
  })
}
