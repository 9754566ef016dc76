import type { FastifyPluginAsync } from 'fastify'
import { parseRequest } from '../../errors/index.js'
import {
  requestLogOptionsQuerySchema,
  requestLogsQuerySchema,
  type RequestLogOptions,
  type RequestLogsPage,
} from './schemas.js'
import type { RequestLogsService } from './service.js'

export interface RequestLogsRoutesOptions {
  service: RequestLogsService
}

/**
 * `/api/request-logs` and `/api/request-logs/options` (exact paths, as the original), registered
 * inside the guarded dashboard scope whose error handler shapes the 422s.
 */
export const requestLogsRoutes: FastifyPluginAsync<RequestLogsRoutesOptions> = async (
  app,
  opts,
) => {
  const { service } = opts

  app.get('/request-logs', async (request): Promise<RequestLogsPage> => {
    const query = parseRequest(requestLogsQuerySchema, request.query)
    return service.list(query.filter, query.limit, query.offset)
  })

  app.get('/request-logs/options', async (request): Promise<RequestLogOptions> => {
    return service.options(parseRequest(requestLogOptionsQuerySchema, request.query))
  })
}
