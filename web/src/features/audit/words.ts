import type { AuditAction } from '@codex-lb/shared'

/** Each recorded action as the page says it. */
const ACTION_WORDS: Record<AuditAction, string> = {
  'auth.login': 'Signed in',
  'auth.logout': 'Signed out',
  'auth.password_set': 'Password set',
  'auth.password_changed': 'Password changed',
  'auth.password_removed': 'Password removed',
  'auth.totp_enabled': 'Two-factor enabled',
  'auth.totp_disabled': 'Two-factor disabled',
  'account.added': 'Account added',
  'account.removed': 'Account removed',
  'account.paused': 'Account paused',
  'account.reactivated': 'Account reactivated',
  'account.reauthenticated': 'Account signed in again',
  'account.updated': 'Account changed',
  'account.token_refreshed': 'Account token refreshed',
  'account.checked': 'Account checked',
  'account.credentials_exported': 'Account auth.json exported',
  'api_key.created': 'API key created',
  'api_key.updated': 'API key changed',
  'api_key.regenerated': 'API key regenerated',
  'api_key.deleted': 'API key deleted',
  'settings.updated': 'Settings changed',
  'overflow.added': 'Overflow upstream added',
  'overflow.updated': 'Overflow upstream changed',
  'overflow.removed': 'Overflow upstream removed',
}

/** The action in words; an action this build does not know (a newer server) shows as recorded. */
export function actionWords(action: string): string {
  return (ACTION_WORDS as Record<string, string>)[action] ?? action
}

function valueWords(value: unknown): string {
  if (value === null || value === undefined) return '—'
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (Array.isArray(value)) return value.length === 0 ? '[]' : value.map(valueWords).join(', ')
  return JSON.stringify(value)
}

function isChange(value: unknown): value is { from: unknown; to: unknown } {
  return typeof value === 'object' && value !== null && 'from' in value && 'to' in value
}

/**
 * The details as one short line: `routingStrategy: fill_first → round_robin · reason: bad_password`.
 * Changes read `from → to`; other fields `name: value`.
 */
export function detailsWords(details: Record<string, unknown> | null | undefined): string {
  if (!details) return ''
  return Object.entries(details)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) =>
      isChange(value)
        ? `${key}: ${valueWords(value.from)} → ${valueWords(value.to)}`
        : `${key}: ${valueWords(value)}`,
    )
    .join(' · ')
}
