import type { FastifyBaseLogger } from 'fastify'
import type { AuditAction, AuditOutcome } from '@codex-lb/shared'
import type { Clock } from '../../lib/clock.js'
import type { AuditRepository } from './repository.js'
import { scrubDetails } from './scrub.js'

/** Where an action came from: the address after trust-proxy and the User-Agent. */
export interface AuditClient {
  ip: string | null
  userAgent: string | null
}

export interface AuditEntryInput {
  action: AuditAction
  /** Defaults to `success`. */
  outcome?: AuditOutcome
  target?: { type: string; id: string | null }
  /** What changed: field names and non-secret new values, e.g. `{ name: { from, to } }`. */
  details?: Record<string, unknown>
  client?: AuditClient
}

/**
 * Records administrative actions. `record` never rejects: a failed write is logged (action and
 * error message only) and the admin action it describes goes on as if it had been recorded.
 */
export class AuditLog {
  constructor(
    private readonly repo: AuditRepository,
    private readonly clock: Clock,
    private readonly log: FastifyBaseLogger,
  ) {}

  async record(entry: AuditEntryInput): Promise<void> {
    try {
      const details = scrubDetails(entry.details)
      await this.repo.insert({
        occurred_at: this.clock.now(),
        action: entry.action,
        outcome: entry.outcome ?? 'success',
        target_type: entry.target?.type ?? null,
        target_id: entry.target?.id ?? null,
        client_ip: entry.client?.ip ?? null,
        user_agent: entry.client?.userAgent ?? null,
        details: details ? JSON.stringify(details) : null,
      })
    } catch (err) {
      // The message only: a driver error can quote the statement's parameters.
      const reason = err instanceof Error ? err.name : typeof err
      this.log.error({ action: entry.action, reason }, 'audit log write failed')
    }
  }
}
