import type { FastifyRequest } from 'fastify'
import { audited, changedFields, type AuditLog, type AuditedEntry } from '../audit/index.js'
import { isRecord } from '../../lib/json.js'
import type { Account, ImportResult } from './model.js'
import type { AccountsService } from './service.js'

/*
 * How account actions read in the audit log: the account is the target, the email names it (it
 * outlives a deletion there), and an edit lists the settings that changed. Never a token.
 */

const target = (id: string) => ({ type: 'account', id })

/** The settings an account edit can change. */
function editableView(account: Account) {
  return {
    alias: account.alias,
    routeOrder: account.routeOrder,
    maxStreams: account.maxStreams,
    headroomPrimaryPercent: account.headroomPrimaryPercent,
    headroomSecondaryPercent: account.headroomSecondaryPercent,
  }
}

/** An action on one account (pause, delete, check…), named by its email. */
export async function auditAccountAction<T>(
  audit: AuditLog,
  service: AccountsService,
  request: FastifyRequest,
  action: AuditedEntry['action'],
  id: string,
  work: () => Promise<T>,
  onSuccess?: (result: T) => Partial<AuditedEntry>,
): Promise<T> {
  const email = (await service.find(id))?.email ?? null
  const entry = { action, target: target(id), details: { email } }
  return audited(audit, request, entry, work, onSuccess)
}

/** An edit (alias, route order, headroom, stream cap) with `{ field: { from, to } }`. */
export async function auditAccountEdit(
  audit: AuditLog,
  service: AccountsService,
  request: FastifyRequest,
  id: string,
  work: () => Promise<Account>,
): Promise<Account> {
  const before = await service.find(id)
  const entry = { action: 'account.updated', target: target(id) } as const
  return audited(audit, request, entry, work, (after) => ({
    details: {
      email: after.email,
      ...(before ? changedFields(editableView(before), editableView(after)) : {}),
    },
  }))
}

/** How an account came in: added when new, signed in again when it existed (same workspace + email). */
export function importedEntry(
  result: ImportResult,
  method: 'auth_json' | 'oauth_browser' | 'oauth_device',
): AuditedEntry {
  const { account, created } = result
  return {
    action: created ? 'account.added' : 'account.reauthenticated',
    target: target(account.id),
    details: { method, email: account.email, planType: account.planType },
  }
}

/** Check now and refresh now answer 200 with `error` when the upstream refused: a failed action. */
export function answeredEntry(answer: unknown): Partial<AuditedEntry> {
  const error = isRecord(answer) ? answer['error'] : undefined
  if (!isRecord(error) || typeof error['code'] !== 'string') return {}
  return { outcome: 'failure', details: { reason: error['code'] } }
}
