import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify'
import type { TokenUsage } from '../request-logs/pricing.js'

/** Usage reserved against an API key's limits before forwarding; settled or released once after. */
export interface UsageTicket {
  settle(usage: TokenUsage & { costUsd: number | undefined }): Promise<void>
  release(): Promise<void>
}

/** What the proxy needs from API-key auth for one request: the key id and its limit reservations. */
export interface RequestAccess {
  apiKeyId: string | null
  /** Throws 403 for a model the key may not use, 429 when a limit is spent. */
  reserve(model: string): Promise<UsageTicket>
  /** The key's allow-list for the model lists (`isPublicModel`); null: every model. */
  allowedModels: readonly string[] | null
}

export interface ProxyAccessControl {
  /** Route-level hook: rejects a request without a valid key when API-key auth is on. */
  onRequest: onRequestAsyncHookHandler
  accessFor(request: FastifyRequest): RequestAccess
}
