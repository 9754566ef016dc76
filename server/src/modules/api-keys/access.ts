import { modelInAllowList } from '../models/public-model.js'
import type { KeyPolicy } from './policy.js'

/** Who is calling a proxy route, as the API-key guard established it. */
export interface ApiKeyPrincipal {
  readonly id: string
  readonly name: string
  /** null: every model. Never an empty array (that is normalised to null when stored). */
  readonly allowedModels: readonly string[] | null
}

/** A key the guard accepted: who it is, and the policy the proxy enforces for it. */
export interface AuthenticatedKey extends ApiKeyPrincipal {
  readonly policy: KeyPolicy
}

/**
 * Whether the key may use `model` (the 403 check); with no key (API-key auth off) every model is
 * allowed. The model lists filter with `isPublicModel` (models module) over the same allow-list.
 */
export function isModelAllowed(principal: ApiKeyPrincipal | null, model: string): boolean {
  return modelInAllowList(principal?.allowedModels ?? null, model)
}
