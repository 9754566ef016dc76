import type { FastifyPluginAsync } from 'fastify'
import { parseRequest } from '../../errors/index.js'
import { camelizeKeys } from '../../lib/casing.js'
import type { Clock } from '../../lib/clock.js'
import {
  apiKeyCreateSchema,
  apiKeyUpdateSchema,
  requestedLimits,
  toApiKeyResponse,
} from './schemas.js'
import type { KeyPolicy } from './policy.js'
import type { ApiKeyUpdate, ApiKeysService, CreatedApiKey } from './service.js'

interface IdParams {
  id: string
}

/** The policy fields present in a body (absent ones are left as they are). */
function policyOf(body: { [K in keyof KeyPolicy]?: KeyPolicy[K] | undefined }): Partial<KeyPolicy> {
  const out: { -readonly [K in keyof KeyPolicy]?: KeyPolicy[K] } = {}
  if (body.allowedReasoningEfforts !== undefined)
    out.allowedReasoningEfforts = body.allowedReasoningEfforts
  if (body.allowedServiceTiers !== undefined) out.allowedServiceTiers = body.allowedServiceTiers
  if (body.allowedAccountIds !== undefined) out.allowedAccountIds = body.allowedAccountIds
  if (body.maxConcurrentRequests !== undefined)
    out.maxConcurrentRequests = body.maxConcurrentRequests
  return out
}

/**
 * `/api/api-keys` (with or without the trailing slash; Fastify registers both for a prefixed '/').
 * Registered behind the dashboard session guard.
 */
export function apiKeysRoutes(service: ApiKeysService, clock: Clock): FastifyPluginAsync {
  const created = ({ record, key }: CreatedApiKey) => ({
    ...toApiKeyResponse(record, clock.now()),
    key,
  })

  return async (scope) => {
    scope.post('/', async (request) => {
      const body = parseRequest(apiKeyCreateSchema, camelizeKeys(request.body))
      return created(
        await service.create({
          name: body.name,
          allowedModels: body.allowedModels ?? null,
          expiresAt: body.expiresAt ?? null,
          limits: requestedLimits(body) ?? [],
          policy: policyOf(body),
        }),
      )
    })

    scope.get('/', async () => {
      const now = clock.now()
      return (await service.list()).map((record) => toApiKeyResponse(record, now))
    })

    scope.patch<{ Params: IdParams }>('/:id', async (request) => {
      const body = parseRequest(apiKeyUpdateSchema, camelizeKeys(request.body))
      const update: ApiKeyUpdate = {}
      if (body.name !== undefined) update.name = body.name
      if (body.allowedModels !== undefined) update.allowedModels = body.allowedModels
      if (body.expiresAt !== undefined) update.expiresAt = body.expiresAt
      if (body.isActive != null) update.isActive = body.isActive
      const limits = requestedLimits(body)
      if (limits !== undefined) update.limits = limits
      if (body.resetUsage !== undefined) update.resetUsage = body.resetUsage
      Object.assign(update, policyOf(body))
      const record = await service.update(request.params.id, update)
      return toApiKeyResponse(record, clock.now())
    })

    scope.delete<{ Params: IdParams }>('/:id', async (request, reply) => {
      await service.delete(request.params.id)
      return reply.code(204).send()
    })

    scope.post<{ Params: IdParams }>('/:id/regenerate', async (request) =>
      created(await service.regenerate(request.params.id)),
    )
  }
}
