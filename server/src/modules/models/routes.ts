import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Clock } from '../../lib/clock.js'
import { ModelNotFoundError } from './errors.js'
import { toOpenAiModel, type ModelInfo } from './model-info.js'
import { servableByAny } from './model-plans.js'
import { isPublicModel } from './public-model.js'
import type { ModelRegistry } from './registry.js'

export interface ModelRoutesOptions {
  models: Pick<ModelRegistry, 'list'>
  /** The caller's API key restrictions (null: none); its guard runs as the scope's onRequest hook. */
  allowedModelsFor(request: FastifyRequest): readonly string[] | null
  /**
   * Plans of the accounts that could serve this caller now (not paused or signed out, allowed for
   * its key): a model some plan-restricted entry none of them has is not listed.
   */
  usablePlansFor(request: FastifyRequest): Promise<readonly string[]>
  clock: Clock
  /** `/backend-api/codex` also answers the upstream `{models:[...]}` shape the Codex CLI reads. */
  codexWire: boolean
}

/**
 * `GET /models` and `GET /models/{id}` on a proxy surface: the registry filtered by `isPublicModel`
 * for the caller and by the plans of the accounts it could use, as OpenAI model objects. Added to the caller's scope (not a plugin of its own), so
 * the proxy's API-key hook guards them like every other proxy route.
 */
export function modelRoutes(scope: FastifyInstance, opts: ModelRoutesOptions): void {
  const { models, clock } = opts
  const visible = async (request: FastifyRequest): Promise<ModelInfo[]> => {
    const allowed = opts.allowedModelsFor(request)
    const plans = await opts.usablePlansFor(request)
    return models.list().filter((m) => isPublicModel(m, allowed) && servableByAny(m, plans))
  }
  const created = () => Math.floor(clock.now() / 1000)

  scope.get('/models', async (request) => {
    const list = await visible(request)
    const now = created()
    const body: Record<string, unknown> = {
      object: 'list',
      data: list.map((m) => toOpenAiModel(m, now)),
    }
    // The Codex CLI reads the upstream `{models:[...]}` shape from this path; OpenAI SDKs read `data`.
    if (opts.codexWire) body['models'] = list.map((m) => m.raw)
    return body
  })

  // Some clients probe a model before using it (the openai SDK's `models.retrieve`).
  scope.get<{ Params: { id: string } }>('/models/:id', async (request) => {
    const { id } = request.params
    const model = (await visible(request)).find((m) => m.id === id)
    if (!model) throw new ModelNotFoundError(id)
    return toOpenAiModel(model, created())
  })
}
