import type { FastifyPluginAsync } from 'fastify'
import { parseRequest } from '../../errors/index.js'
import { camelizeKeys } from '../../lib/casing.js'
import { audited, changedFields, type AuditLog } from '../audit/index.js'
import { overflowAuditView } from './audit-view.js'
import { overflowCreateSchema, overflowUpdateSchema, toOverflowResponse } from './schemas.js'
import type { OverflowService } from './service.js'

interface IdParams {
  id: string
}

const target = (id: string | null) => ({ type: 'overflow_upstream', id })

/** `/api/overflow-upstreams`, behind the dashboard session guard. The key is write-only. */
export function overflowRoutes(service: OverflowService, audit: AuditLog): FastifyPluginAsync {
  const list = async () =>
    (await service.list()).map(({ upstream, cooldownUntil }) =>
      toOverflowResponse(upstream, cooldownUntil),
    )
  const current = async (id: string) => (await list()).find((u) => u.id === id)

  return async (scope) => {
    scope.get('/', list)

    scope.post('/', async (request, reply) => {
      const created = await audited(
        audit,
        request,
        { action: 'overflow.added', target: target(null) },
        async () => {
          const body = parseRequest(overflowCreateSchema, camelizeKeys(request.body))
          return toOverflowResponse(await service.create(body), undefined)
        },
        (u) => ({ target: target(u.id), details: overflowAuditView(u) }),
      )
      return reply.code(201).send(created)
    })

    scope.patch<{ Params: IdParams }>('/:id', async (request) => {
      const { id } = request.params
      const before = await current(id)
      return audited(
        audit,
        request,
        { action: 'overflow.updated', target: target(id) },
        async () => {
          const body = parseRequest(overflowUpdateSchema, camelizeKeys(request.body))
          const after = toOverflowResponse(await service.update(id, body), undefined)
          return { after, apiKeyChanged: body.apiKey !== undefined }
        },
        ({ after, apiKeyChanged }) => ({
          details: {
            ...(before ? changedFields(overflowAuditView(before), overflowAuditView(after)) : {}),
            ...(apiKeyChanged ? { apiKeyChanged } : {}),
          },
        }),
      ).then(({ after }) => after)
    })

    scope.delete<{ Params: IdParams }>('/:id', async (request, reply) => {
      const { id } = request.params
      const name = (await current(id))?.name
      const entry = { action: 'overflow.removed', target: target(id), details: { name } } as const
      await audited(audit, request, entry, () => service.delete(id))
      return reply.code(204).send()
    })
  }
}
