import {
  AUDIT_ACTIONS,
  AUDIT_OUTCOMES,
  type AuditEntry as ContractEntry,
  type AuditOutcome,
  type AuditOptions as ContractOptions,
  type AuditPage as ContractPage,
} from '@codex-lb/shared'
import { z } from 'zod'

/*
 * Query and wire shapes of /api/audit: camelCase, ISO-8601 `Z` datetimes, explicit nulls.
 */

/** Repeatable query parameters arrive as a string or an array of strings (`?action=a&action=b`). */
const many = <T extends z.ZodType>(item: T) =>
  z
    .union([item, z.array(item)])
    .optional()
    .transform((v): Array<z.output<T>> => (v === undefined ? [] : Array.isArray(v) ? v : [v]))

const DAY_MS = 86_400_000

/** ISO-8601 instant (UTC without an offset) or a date: `since` its first ms, `until` its last. */
const boundary = (edge: 'start' | 'end') =>
  z
    .union([z.iso.date(), z.iso.datetime({ offset: true, local: true })])
    .optional()
    .transform((text) => {
      if (text === undefined) return null
      if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
        return Date.parse(`${text}T00:00:00Z`) + (edge === 'end' ? DAY_MS - 1 : 0)
      }
      return Date.parse(/(?:Z|[+-]\d\d:?\d\d)$/i.test(text) ? text : `${text}Z`)
    })

export const auditQuerySchema = z
  .object({
    action: many(z.enum(AUDIT_ACTIONS, { error: 'unknown action' })),
    outcome: z.enum(AUDIT_OUTCOMES, { error: 'expected success or failure' }).optional(),
    since: boundary('start'),
    until: boundary('end'),
    search: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  })
  .superRefine((q, ctx) => {
    if (q.since !== null && q.until !== null && q.since > q.until) {
      ctx.addIssue({ code: 'custom', path: ['until'], message: 'must not be before since' })
    }
  })
  .transform((q) => {
    const search = q.search?.trim() ?? ''
    return {
      filter: {
        actions: [...new Set(q.action)],
        outcome: q.outcome ?? null,
        since: q.since,
        until: q.until,
        search: search === '' ? null : search,
      },
      limit: q.limit,
      offset: q.offset,
    }
  })
export type AuditQuery = z.output<typeof auditQuerySchema>
export type AuditFilter = AuditQuery['filter']

/** One entry as `/api/audit` returns it (the shared contract, with its nulls made explicit). */
export interface AuditEntry extends ContractEntry {
  id: number
  occurredAt: string
  action: string
  outcome: AuditOutcome
  targetType: string | null
  targetId: string | null
  clientIp: string | null
  userAgent: string | null
  details: Record<string, unknown> | null
}

export interface AuditPage extends ContractPage {
  entries: AuditEntry[]
}

export type AuditOptions = ContractOptions
