/** What a model list needs to know about a model. */
export interface ListedModel {
  readonly id: string
  readonly supportedInApi: boolean
}

/** An allow-list of model ids; null or empty means every model. Exact, case-sensitive match. */
export function modelInAllowList(allowedModels: readonly string[] | null, model: string): boolean {
  return allowedModels === null || allowedModels.length === 0 || allowedModels.includes(model)
}

/**
 * The one predicate every model list uses (seed 002 §8): `/v1/models`, `/backend-api/codex/models`
 * and `/api/models`. A model is listed when it is offered through the API and the caller's API key
 * (if any; `null` without one) may use it. Naming a model in `allowedModels` never lists a model
 * that is not supported in the API.
 */
export function isPublicModel(
  model: ListedModel,
  allowedModels: readonly string[] | null,
): boolean {
  return model.supportedInApi && modelInAllowList(allowedModels, model.id)
}
