import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify'
import type { TokenUsage } from '../request-logs/pricing.js'

/** Usage reserved against an API key's limits before forwarding; settled or released once after. */
export interface UsageTicket {
  settle(usage: TokenUsage & { costUsd: number | undefined }): Promise<void>
  release(): Promise<void>
}

/** What a key's policy judges about a request (a parsed `ResponsesRequest` has it all). */
export interface ReserveFacts {
  model: string
  reasoningEffort: string | null
  serviceTier: string | null
}

/** What the proxy needs from API-key auth for one request: the key id, policy and reservations. */
export interface RequestAccess {
  apiKeyId: string | null
  /**
   * Throws 403 for a model, reasoning effort or service tier the key may not use, 429 when the key
   * is at its concurrency cap or a limit is spent. The ticket holds the key's concurrency slot too.
   */
  reserve(request: ReserveFacts): Promise<UsageTicket>
  /** The key's allow-list for the model lists (`isPublicModel`); null: every model. */
  allowedModels: readonly string[] | null
  /** The only accounts the key may be routed to; null: every account. */
  allowedAccountIds: readonly string[] | null
}

export interface ProxyAccessControl {
  /** Route-level hook: rejects a request without a valid key when API-key auth is on. */
  onRequest: onRequestAsyncHookHandler
  accessFor(request: FastifyRequest): RequestAccess
}
