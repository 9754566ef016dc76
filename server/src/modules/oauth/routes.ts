import type { FastifyPluginAsync } from 'fastify'
import { parseRequest } from '../../errors/index.js'
import { camelizeKeys } from '../../lib/casing.js'
import { auditClient, type AuditClient, type AuditLog } from '../audit/index.js'
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
  audit: AuditLog
}

/**
 * Records how a sign-in started from the dashboard ended, from the client that started it: an
 * account added or signed in again, or a failed (timed out, refused) sign-in.
 */
async function auditSignIn(
  service: OAuthService,
  audit: AuditLog,
  started: OAuthStartResponse,
  client: AuditClient,
): Promise<void> {
  if (!started.flowId) return
  const method = started.method === 'device' ? 'oauth_device' : 'oauth_browser'
  const end = await service.outcome(started.flowId)
  if (end.status !== 'success' || end.accountId === null) {
    const details = { method, reason: 'sign_in_failed' }
    return audit.record({ action: 'account.added', outcome: 'failure', details, client })
  }
  await audit.record({
    action: end.created === false ? 'account.reauthenticated' : 'account.added',
    target: { type: 'account', id: end.accountId },
    details: { method, email: end.email },
    client,
  })
}

/** /api/oauth: inside the dashboard session scope, whose error handler shapes failures. */
export const oauthRoutes: FastifyPluginAsync<OAuthRoutesOptions> = async (app, opts) => {
  const { service, audit } = opts
  app.post('/oauth/start', async (request): Promise<OAuthStartResponse> => {
    const body = parseRequest(startBodySchema, camelizeKeys(request.body ?? {}))
    const started = await service.start(body.forceMethod)
    // The sign-in ends later (callback, device poll, paste, timeout); record it then.
    auditSignIn(service, audit, started, auditClient(request)).catch((err: unknown) =>
      request.log.warn({ reason: (err as Error).name }, 'oauth sign-in audit failed'),
    )
    return started
  })

  app.get('/oauth/status', async (request): Promise<OAuthFlowStatus> => {
    return service.status(parseRequest(statusQuerySchema, camelizeKeys(request.query ?? {})))
  })

  app.post('/oauth/complete', async (request): Promise<OAuthFlowStatus> => {
    return service.complete(parseRequest(completeBodySchema, camelizeKeys(request.body ?? {})))
  })
}
