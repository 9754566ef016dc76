import { Readable } from 'node:stream'
import type { KeyUsageHistory, Report } from '@codex-lb/shared'
import type { FastifyPluginAsync } from 'fastify'
import { parseRequest } from '../../errors/index.js'
import { reportCsv } from './report-csv.js'
import { reportQuerySchema, usageHistoryQuerySchema } from './schemas.js'
import type { ReportsService } from './service.js'

export interface ReportsRoutesOptions {
  service: ReportsService
}

/**
 * `/api/reports`, its CSV and `/api/api-keys/:id/usage-history`, registered (without a prefix)
 * inside the guarded dashboard scope, whose error handler shapes the 422s.
 */
export const reportsRoutes: FastifyPluginAsync<ReportsRoutesOptions> = async (app, opts) => {
  const { service } = opts

  app.get('/reports', async (request): Promise<Report> => {
    return service.report(parseRequest(reportQuerySchema, request.query))
  })

  app.get('/reports/export', async (request, reply) => {
    const report = await service.report(parseRequest(reportQuerySchema, request.query))
    const name = `report-${report.groupBy}-${report.bucket}-${report.since.slice(0, 10)}-${report.until.slice(0, 10)}.csv`
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}"`)
      .header('cache-control', 'no-store')
      .send(Readable.from(reportCsv(report)))
  })

  app.get<{ Params: { id: string } }>(
    '/api-keys/:id/usage-history',
    async (request): Promise<KeyUsageHistory> => {
      const range = parseRequest(usageHistoryQuerySchema, request.query)
      return service.keyUsageHistory(request.params.id, range)
    },
  )
}
