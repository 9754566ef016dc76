import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'
import type { Clock } from '../../lib/clock.js'
import type { AuditLog } from '../audit/index.js'
import type { SettingsService } from '../settings/index.js'
import { createApiKeyGuard, type ApiKeyGuard } from './guard.js'
import { KeyInFlight } from './in-flight.js'
import { KeyCache } from './key-cache.js'
import { KeyConcurrencyError, NO_POLICY, checkPolicy, type PolicyFacts } from './policy.js'
import type { SettledUsage } from './limits.js'
import { ApiKeysRepository } from './repository.js'
import { ReservationsRepository } from './reservations-repository.js'
import { ReservationsService } from './reservations.js'
import { apiKeysRoutes } from './routes.js'
import { ApiKeysService } from './service.js'

export { isModelAllowed, type ApiKeyPrincipal, type AuthenticatedKey } from './access.js'
export { normalizeServiceTier, type KeyPolicy, type PolicyFacts } from './policy.js'
export type { ApiKeyGuard } from './guard.js'
export type { LimitRule, LimitRuleInput, SettledUsage } from './limits.js'
export { ReservationsService, type Reservation } from './reservations.js'
export { ApiKeysService, type ApiKeyCreate, type ApiKeyUpdate } from './service.js'
export { apiKeysRoutes } from './routes.js'

/** One request's access as the proxy routes consume it (see createProxyAccess). */
export interface ProxyRequestAccess {
  apiKeyId: string | null
  /**
   * 403 `model_not_allowed`, `reasoning_effort_not_allowed`, `service_tier_not_allowed`; 429
   * `key_concurrency_limit`, `rate_limit_exceeded`. The ticket holds a slot of the key's concurrency
   * and its limit budget until settled or released (once; later calls are no-ops).
   */
  reserve(request: PolicyFacts & { model: string }): Promise<{
    settle(usage: SettledUsage): Promise<void>
    release(): Promise<void>
  }>
  /** The key's allow-list for the model lists (`isPublicModel`); null: every model. */
  allowedModels: readonly string[] | null
  /** The only accounts this key may be routed to; null: every account. */
  allowedAccountIds: readonly string[] | null
}

export interface ApiKeys {
  readonly service: ApiKeysService
  readonly reservations: ReservationsService
  readonly guard: ApiKeyGuard
  /** Drops the cached keys and rules: another replica changed a key. */
  forgetCached(): void
  /** `/api/api-keys` plugin (register with that prefix, inside the guarded dashboard scope). */
  readonly routes: FastifyPluginAsync
  /** The guard and reservations packaged for the proxy routes: `onRequest` + per-request access. */
  readonly proxyAccess: {
    onRequest(request: FastifyRequest): Promise<void>
    accessFor(request: FastifyRequest): ProxyRequestAccess
  }
}

export function createApiKeys(deps: {
  db: Kysely<Database>
  clock: Clock
  settings: SettingsService
  audit: AuditLog
  /** After a key changed here: the other replicas should drop their cached keys. */
  onChanged?: () => void
}): ApiKeys {
  const keys = new ApiKeysRepository(deps.db)
  const cache = new KeyCache(deps.clock)
  const service = new ApiKeysService(keys, deps.clock, cache, deps.onChanged)
  const reservations = new ReservationsService(
    keys,
    new ReservationsRepository(deps.db),
    deps.clock,
    cache,
  )
  const guard = createApiKeyGuard(service, deps.settings)
  const inFlight = new KeyInFlight()
  const accessFor = (request: FastifyRequest): ProxyRequestAccess => {
    const key = guard.keyOf(request)
    const policy = key?.policy ?? NO_POLICY
    return {
      apiKeyId: key?.id ?? null,
      async reserve(facts) {
        checkPolicy(policy, facts)
        const free =
          key === null ? () => undefined : inFlight.tryAcquire(key.id, policy.maxConcurrentRequests)
        if (free === null) throw new KeyConcurrencyError(policy.maxConcurrentRequests ?? 0)
        let reservation
        try {
          reservation = await reservations.reserve(key, facts.model)
        } catch (err) {
          free()
          throw err
        }
        // The slot goes back when the request ends, even if writing its usage fails (and is retried).
        return {
          settle: (usage) => reservations.settle(reservation, usage).finally(free),
          release: () => reservations.release(reservation).finally(free),
        }
      },
      allowedModels: key?.allowedModels ?? null,
      allowedAccountIds: policy.allowedAccountIds,
    }
  }
  return {
    service,
    reservations,
    guard,
    forgetCached: () => cache.forget(),
    routes: apiKeysRoutes(service, deps.clock, deps.audit),
    proxyAccess: { onRequest: (request) => guard.onRequest(request), accessFor },
  }
}
