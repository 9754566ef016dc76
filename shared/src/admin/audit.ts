import { z } from 'zod'
import { isoDateTimeSchema } from './common.js'

/**
 * Every administrative action the audit log records. Names are stored in rows, so they never
 * change once released; add new ones at the end of their group.
 */
export const AUDIT_ACTIONS = [
  'auth.login',
  'auth.logout',
  'auth.password_set',
  'auth.password_changed',
  'auth.password_removed',
  'auth.totp_enabled',
  'auth.totp_disabled',
  'account.added',
  'account.removed',
  'account.paused',
  'account.reactivated',
  'account.reauthenticated',
  'account.updated',
  'account.token_refreshed',
  'account.checked',
  'account.credentials_exported',
  'api_key.created',
  'api_key.updated',
  'api_key.regenerated',
  'api_key.deleted',
  'settings.updated',
  'overflow.added',
  'overflow.updated',
  'overflow.removed',
] as const
export const auditActionSchema = z.enum(AUDIT_ACTIONS)
export type AuditAction = z.infer<typeof auditActionSchema>

export const AUDIT_OUTCOMES = ['success', 'failure'] as const
export const auditOutcomeSchema = z.enum(AUDIT_OUTCOMES)
export type AuditOutcome = z.infer<typeof auditOutcomeSchema>

export const auditEntrySchema = z.object({
  id: z.number(),
  occurredAt: isoDateTimeSchema,
  action: z.string(),
  outcome: z.string(),
  targetType: z.string().nullish(),
  targetId: z.string().nullish(),
  /** The client's address (after the server's trusted proxies) and User-Agent. */
  clientIp: z.string().nullish(),
  userAgent: z.string().nullish(),
  /** What changed (field names and non-secret values), e.g. `{ routingStrategy: { from, to } }`. */
  details: z.record(z.string(), z.unknown()).nullish(),
})
export type AuditEntry = z.infer<typeof auditEntrySchema>

export const auditPageSchema = z.object({
  entries: z.array(auditEntrySchema),
  total: z.number(),
  hasMore: z.boolean(),
})
export type AuditPage = z.infer<typeof auditPageSchema>

export const auditOptionsSchema = z.object({ actions: z.array(z.string()) })
export type AuditOptions = z.infer<typeof auditOptionsSchema>
