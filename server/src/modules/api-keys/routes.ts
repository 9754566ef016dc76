import type { FastifyPluginAsync } from 'fastify'
import { parseRequest } from '../../errors/index.js'
import { camelizeKeys } from '../../lib/casing.js'
import type { Clock } from '../../lib/clock.js'
import { audited, changedFields, type AuditLog } from '../audit/index.js'
import { apiKeyAuditView } from './audit-view.js'
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
export function apiKeysRoutes(
  service: ApiKeysService,
  clock: Clock,
  audit: AuditLog,
): FastifyPluginAsync {
  const created = ({ record, key }: CreatedApiKey) => ({
    ...toApiKeyResponse(record, clock.now()),
    key,
  })

  const target = (id: string | null) => ({ type: 'api_key', id })
  const current = async (id: string) => (await service.list()).find((r) => r.id === id)

  const applyUpdate = async (id: string, raw: unknown) => {
    const body = parseRequest(apiKeyUpdateSchema, camelizeKeys(raw))
    const update: ApiKeyUpdate = {}
    if (body.name !== undefined) update.name = body.name
    if (body.allowedModels !== undefined) update.allowedModels = body.allowedModels
    if (body.expiresAt !== undefined) update.expiresAt = body.expiresAt
    if (body.isActive != null) update.isActive = body.isActive
    const limits = requestedLimits(body)
    if (limits !== undefined) update.limits = limits
    if (body.resetUsage !== undefined) update.resetUsage = body.resetUsage
    Object.assign(update, policyOf(body))
    return { record: await service.update(id, update), resetUsage: update.resetUsage === true }
  }

  return async (scope) => {
    scope.post('/', async (request) => {
      const issued = await audited(
        audit,
        request,
        { action: 'api_key.created', target: target(null) },
        async () => {
          const body = parseRequest(apiKeyCreateSchema, camelizeKeys(request.body))
          return service.create({
            name: body.name,
            allowedModels: body.allowedModels ?? null,
            expiresAt: body.expiresAt ?? null,
            limits: requestedLimits(body) ?? [],
            policy: policyOf(body),
          })
        },
        ({ record }) => ({ target: target(record.id), details: apiKeyAuditView(record) }),
      )
      return created(issued)
    })

    scope.get('/', async () => {
      const now = clock.now()
      return (await service.list()).map((record) => toApiKeyResponse(record, now))
    })

    scope.patch<{ Params: IdParams }>('/:id', async (request) => {
      const { id } = request.params
      const before = await current(id)
      const entry = { action: 'api_key.updated', target: target(id) } as const
      const { record } = await audited(
        audit,
        request,
        entry,
        () => applyUpdate(id, request.body),
        ({ record: after, resetUsage }) => ({
          details: {
            ...(before ? changedFields(apiKeyAuditView(before), apiKeyAuditView(after)) : {}),
            ...(resetUsage ? { resetUsage } : {}),
          },
        }),
      )
      return toApiKeyResponse(record, clock.now())
    })

    scope.delete<{ Params: IdParams }>('/:id', async (request, reply) => {
      const { id } = request.params
      const name = (await current(id))?.name
      const entry = { action: 'api_key.deleted', target: target(id), details: { name } } as const
      await audited(audit, request, entry, () => service.delete(id))
      return reply.code(204).send()
    })

    scope.post<{ Params: IdParams }>('/:id/regenerate', async (request) => {
      const { id } = request.params
      const entry = { action: 'api_key.regenerated', target: target(id) } as const
      const issued = await audited(audit, request, entry, () => service.regenerate(id))
      return created(issued)
    })
  }
}
