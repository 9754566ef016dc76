import type { FastifyRequest } from 'fastify'
import { AppError } from '../../errors/index.js'
import type { AuditEntryInput, AuditLog } from './audit-log.js'
import { auditClient } from './client.js'

/** Error codes as the audit log words a failure; other codes are kept as they are. */
const REASONS: Record<string, string> = {
  invalid_credentials: 'bad_password',
  invalid_totp_code: 'bad_code',
  password_rate_limited: 'rate_limited',
  totp_rate_limited: 'rate_limited',
  rate_limited: 'rate_limited',
  validation_error: 'invalid_input',
  invalid_request_error: 'invalid_input',
}

/** Why an admin action failed, in a word that carries nothing the caller sent. */
export function failureReason(err: unknown): string {
  if (err instanceof AppError) return REASONS[err.code] ?? err.code
  return 'error'
}

export type AuditedEntry = Omit<AuditEntryInput, 'client'>

/**
 * Runs an admin action and records it: on success with `entry` and what `onSuccess` adds from the
 * result (its details merged in), on failure with `outcome: failure` and the reason, then rethrows. The client comes from the
 * request. Recording never changes what the action answers.
 */
export async function audited<T>(
  audit: AuditLog,
  request: FastifyRequest,
  entry: AuditedEntry,
  work: () => Promise<T>,
  onSuccess?: (result: T) => Partial<AuditedEntry>,
): Promise<T> {
  const client = auditClient(request)
  let result: T
  try {
    result = await work()
  } catch (err) {
    const details = { ...entry.details, reason: failureReason(err) }
    await audit.record({ ...entry, outcome: 'failure', details, client })
    throw err
  }
  const extra = onSuccess?.(result) ?? {}
  const details = { ...entry.details, ...extra.details }
  await audit.record({ ...entry, ...extra, details, client })
  return result
}

/** `{ field: { from, to } }` for each field whose value differs (compared as JSON). */
export function changedFields<T extends object>(
  before: T,
  after: T,
  fields: ReadonlyArray<keyof T & string> = Object.keys(after) as Array<keyof T & string>,
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {}
  for (const field of fields) {
    const from = before[field] ?? null
    const to = after[field] ?? null
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[field] = { from, to }
  }
  return changes
}
