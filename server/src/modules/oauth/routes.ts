import type { FastifyPluginAsync } from 'fastify'
import { parseRequest } from '../../errors/index.js'
import { camelizeKeys } from '../../lib/casing.js'
import {
  completeBodySchema,
  startBodySchema,
  statusQuerySchema,
  type OAuthFlowStatus,
  type OAuthStartResponse,
} from './schemas.js'
import type { OAuthService } from './service.js'

export interface OAuthRoutesOptions {
  service: OAuthService
}

/** /api/oauth: inside the dashboard session scope, whose error handler shapes failures. */
export const oauthRoutes: FastifyPluginAsync<OAuthRoutesOptions> = async (app, { service }) => {
  app.post('/oauth/start', async (request): Promise<OAuthStartResponse> => {
    const body = parseRequest(startBodySchema, camelizeKeys(request.body ?? {}))
    return service.start(body.forceMethod)
  })

  app.get('/oauth/status', async (request): Promise<OAuthFlowStatus> => {
    return service.status(parseRequest(statusQuerySchema, camelizeKeys(request.query ?? {})))
  })

  app.post('/oauth/complete', async (request): Promise<OAuthFlowStatus> => {
    return service.complete(parseRequest(completeBodySchema, camelizeKeys(request.body ?? {})))
  })
}
