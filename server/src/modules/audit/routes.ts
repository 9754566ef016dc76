import type { FastifyPluginAsync } from 'fastify'
import { parseRequest } from '../../errors/index.js'
import { auditQuerySchema, type AuditOptions, type AuditPage } from './schemas.js'
import type { AuditService } from './service.js'

export interface AuditRoutesOptions {
  service: AuditService
}

/** `/api/audit` and `/api/audit/options`, inside the guarded dashboard scope (its 422 envelope). */
export const auditRoutes: FastifyPluginAsync<AuditRoutesOptions> = async (app, { service }) => {
  app.get('/audit', async (request): Promise<AuditPage> => {
    const query = parseRequest(auditQuerySchema, request.query)
    return service.list(query.filter, query.limit, query.offset)
  })

  app.get('/audit/options', async (): Promise<AuditOptions> => service.options())
}
