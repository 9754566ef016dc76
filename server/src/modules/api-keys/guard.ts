import type { FastifyRequest } from 'fastify'
import { ProxyAuthError } from '../../errors/index.js'
import type { SettingsService } from '../settings/index.js'
import type { AuthenticatedKey } from './access.js'
import type { ApiKeysService } from './service.js'

export interface ApiKeyGuard {
  /** Route-level `onRequest` hook for /v1/* and /backend-api/codex/*. */
  onRequest(request: FastifyRequest): Promise<void>
  /**
   * The key the hook accepted for this request, or null when API-key auth is off. Throws when the
   * hook did not run for the request: a route that forgot the hook must fail, not run unguarded.
   */
  keyOf(request: FastifyRequest): AuthenticatedKey | null
}

/** `Bearer <token>` (scheme case-insensitive, token trimmed); null when absent or another scheme. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '')
  const token = match?.[1]?.trim()
  return token ? token : null
}

/**
 * Proxy API-key auth (seed 001 D1/D3). Validity only (exists, active, not expired): limits are judged
 * later, where the requested model is known (seed 002 §5.1). The accepted key lives in a WeakMap
 * private to this guard and reaches handlers as a typed value through `keyOf`, not as a request
 * decoration anyone could overwrite.
 */
export function createApiKeyGuard(apiKeys: ApiKeysService, settings: SettingsService): ApiKeyGuard {
  const principals = new WeakMap<FastifyRequest, AuthenticatedKey | null>()
  return {
    async onRequest(request) {
      if (!(await settings.get()).apiKeyAuthEnabled) {
        principals.set(request, null)
        return
      }
      const token = bearerToken(request.headers.authorization)
      if (token === null) throw new ProxyAuthError('Missing API key in Authorization header')
      principals.set(request, await apiKeys.authenticate(token))
    },
    keyOf(request) {
      const principal = principals.get(request)
      if (principal === undefined) throw new Error('the API-key guard did not run for this route')
      return principal
    },
  }
}
