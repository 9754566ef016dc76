import type { FastifyPluginAsync } from 'fastify'
import { parseRequest } from '../../errors/index.js'
import { requestLogDetailParamsSchema, type RequestLogDetail } from './detail-schemas.js'
import type { RequestLogDetailService } from './detail-service.js'

export interface RequestLogDetailRoutesOptions {
  service: RequestLogDetailService
}

/**
 * `GET /api/request-logs/:id`: one attempt and its failover chain. Registered in the guarded
 * dashboard scope beside the list; the static `/options` and `/export` paths win over `:id`.
 */
export const requestLogDetailRoutes: FastifyPluginAsync<RequestLogDetailRoutesOptions> = async (
  app,
  opts,
) => {
  app.get('/request-logs/:id', async (request): Promise<RequestLogDetail> => {
    const { id } = parseRequest(requestLogDetailParamsSchema, request.params)
    return opts.service.detail(id)
  })
}
