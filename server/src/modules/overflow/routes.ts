import type { FastifyPluginAsync } from 'fastify'
import { parseRequest } from '../../errors/index.js'
import { camelizeKeys } from '../../lib/casing.js'
import { overflowCreateSchema, overflowUpdateSchema, toOverflowResponse } from './schemas.js'
import type { OverflowService } from './service.js'

interface IdParams {
  id: string
}

/** `/api/overflow-upstreams`, behind the dashboard session guard. The key is write-only. */
export function overflowRoutes(service: OverflowService): FastifyPluginAsync {
  return async (scope) => {
    scope.get('/', async () =>
      (await service.list()).map(({ upstream, cooldownUntil }) =>
        toOverflowResponse(upstream, cooldownUntil),
      ),
    )

    scope.post('/', async (request, reply) => {
      const body = parseRequest(overflowCreateSchema, camelizeKeys(request.body))
      const created = await service.create(body)
      return reply.code(201).send(toOverflowResponse(created, undefined))
    })

    scope.patch<{ Params: IdParams }>('/:id', async (request) => {
      const body = parseRequest(overflowUpdateSchema, camelizeKeys(request.body))
      return toOverflowResponse(await service.update(request.params.id, body), undefined)
    })

    scope.delete<{ Params: IdParams }>('/:id', async (request, reply) => {
      await service.delete(request.params.id)
      return reply.code(204).send()
    })
  }
}
