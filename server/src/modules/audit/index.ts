import type { FastifyBaseLogger } from 'fastify'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'
import type { Clock } from '../../lib/clock.js'
import { AuditLog } from './audit-log.js'
import { AuditRepository } from './repository.js'
import { AuditService } from './service.js'

export { AuditLog, type AuditClient, type AuditEntryInput } from './audit-log.js'
export { AuditRepository } from './repository.js'
export { AuditService, auditCutoff } from './service.js'
export { auditRoutes, type AuditRoutesOptions } from './routes.js'
export { auditClient } from './client.js'
export { audited, changedFields, failureReason, type AuditedEntry } from './audited.js'
export { scrubDetails, isSecretKey } from './scrub.js'

/** The recorder every admin route calls, and the dashboard's reader (with retention). */
export function createAudit(deps: {
  db: Kysely<Database>
  clock: Clock
  log: FastifyBaseLogger
  retentionDays: number
}): { log: AuditLog; service: AuditService } {
  const repo = new AuditRepository(deps.db)
  return {
    log: new AuditLog(repo, deps.clock, deps.log),
    service: new AuditService(repo, deps.clock, deps.retentionDays),
  }
}
