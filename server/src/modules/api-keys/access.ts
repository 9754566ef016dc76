/** Who is calling a proxy route, as the API-key guard established it. */
export interface ApiKeyPrincipal {
  readonly id: string
  readonly name: string
  /** null: every model. Never an empty array (that is normalised to null when stored). */
  readonly allowedModels: readonly string[] | null
}

/** Whether the key may use `model`; with no key (API-key auth off) every model is allowed. */
export function isModelAllowed(principal: ApiKeyPrincipal | null, model: string): boolean {
  const allowed = principal?.allowedModels
  return allowed == null || allowed.length === 0 || allowed.includes(model)
}

/**
 * The one predicate every model list uses (seed 002 §8: /v1/models, /backend-api/codex/models and
 * /api/models): the model is offered through the API, and the caller's key (if any) may use it.
 */
export function isPublicModel(
  model: { readonly supportedInApi: boolean; readonly id: string },
  principal: ApiKeyPrincipal | null,
): boolean {
  return model.supportedInApi && isModelAllowed(principal, model.id)
}
