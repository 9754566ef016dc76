import { Readable } from 'node:stream'
import type { FastifyPluginAsync } from 'fastify'
import { parseRequest } from '../../errors/index.js'
import type { RequestLogsExporter } from './export-service.js'
import {
  requestLogOptionsQuerySchema,
  requestLogsQuerySchema,
  type RequestLogOptions,
  type RequestLogsPage,
} from './schemas.js'
import type { RequestLogsService } from './service.js'

export interface RequestLogsRoutesOptions {
  service: RequestLogsService
  exporter: RequestLogsExporter
}

/**
 * `/api/request-logs` and `/api/request-logs/options` (exact paths, as the original), and the CSV
 * export, registered inside the guarded dashboard scope whose error handler shapes the 422s.
 */
export const requestLogsRoutes: FastifyPluginAsync<RequestLogsRoutesOptions> = async (
  app,
  opts,
) => {
  const { service, exporter } = opts

  app.get('/request-logs', async (request): Promise<RequestLogsPage> => {
    const query = parseRequest(requestLogsQuerySchema, request.query)
    return service.list(query.filter, query.limit, query.offset)
  })

  app.get('/request-logs/options', async (request): Promise<RequestLogOptions> => {
    return service.options(parseRequest(requestLogOptionsQuerySchema, request.query))
  })

  // The list's query string as it is (its limit and offset are validated, then ignored): the whole
  // filtered set, streamed. Readable.from pulls the next batch only as the socket drains.
  app.get('/request-logs/export', async (request, reply) => {
    const query = parseRequest(requestLogsQuerySchema, request.query)
    const date = new Date().toISOString().slice(0, 10)
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="request-logs-${date}.csv"`)
      .header('x-export-row-limit', String(exporter.rowLimit))
      .header('cache-control', 'no-store')
      .send(Readable.from(exporter.csv(query.filter)))
  })
}
