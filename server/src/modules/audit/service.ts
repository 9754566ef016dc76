import type { AuditLogRow } from '../../db/schema.js'
import { isRecord } from '../../lib/json.js'
import type { Clock } from '../../lib/clock.js'
import type { AuditRepository } from './repository.js'
import type { AuditEntry, AuditFilter, AuditOptions, AuditPage } from './schemas.js'

const DAY_MS = 86_400_000

/** Rows that occurred before this instant (epoch ms) are past retention. */
export function auditCutoff(now: number, retentionDays: number): number {
  if (!Number.isFinite(retentionDays) || retentionDays <= 0) {
    throw new RangeError(`retentionDays must be a positive number, got ${retentionDays}`)
  }
  return now - Math.round(retentionDays * DAY_MS)
}

function parseDetails(text: string | null): Record<string, unknown> | null {
  if (text === null) return null
  try {
    const value: unknown = JSON.parse(text)
    return isRecord(value) ? value : null
  } catch {
    return null
  }
}

export function toAuditEntry(row: AuditLogRow): AuditEntry {
  return {
    id: Number(row.id),
    occurredAt: new Date(Number(row.occurred_at)).toISOString(),
    action: row.action,
    outcome: row.outcome,
    targetType: row.target_type,
    targetId: row.target_id,
    clientIp: row.client_ip,
    userAgent: row.user_agent,
    details: parseDetails(row.details),
  }
}

/** The dashboard's reads of the audit log, and its retention. */
export class AuditService {
  constructor(
    private readonly repo: AuditRepository,
    private readonly clock: Clock,
    private readonly retentionDays: number,
  ) {}

  async list(filter: AuditFilter, limit: number, offset: number): Promise<AuditPage> {
    const { rows, total } = await this.repo.list(filter, limit, offset)
    return { entries: rows.map(toAuditEntry), total, hasMore: offset + rows.length < total }
  }

  async options(): Promise<AuditOptions> {
    return { actions: await this.repo.actions() }
  }

  /** Deletes entries past CODEX_LB_AUDIT_RETENTION_DAYS; returns how many. */
  async prune(): Promise<number> {
    return this.repo.deleteOlderThan(auditCutoff(this.clock.now(), this.retentionDays))
  }
}
