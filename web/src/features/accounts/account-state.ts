import type { AccountSummary } from '@codex-lb/shared'
import type { BadgeVariant } from '@/components/ui/badge'

export interface AccountState {
  label: string
  variant: BadgeVariant
  /** The refresh token is gone or dead: only a new sign-in brings the account back. */
  needsRelogin: boolean
  detail: string | null
}

const RELOGIN_PATTERN = /re-?log ?in|refresh token|expired|revoked|reused/i

/**
 * How the dashboard names an account: its alias, else its email, else its id (an id_token without
 * an email claim leaves the email empty). The server's `displayName` says the same.
 */
export function accountLabel(
  account: Pick<AccountSummary, 'accountId' | 'email' | 'alias'>,
): string {
  return account.alias || account.email || account.accountId
}

export function accountState(account: AccountSummary): AccountState {
  const reason = account.deactivationReason ?? null
  const refreshMissing = account.auth?.refresh.state === 'missing'
  const needsRelogin =
    refreshMissing || (account.status === 'deactivated' && RELOGIN_PATTERN.test(reason ?? ''))
  if (needsRelogin) {
    return {
      label: 'Needs re-login',
      variant: 'destructive',
      needsRelogin,
      detail: reason ?? 'No refresh token stored',
    }
  }
  switch (account.status) {
    case 'active':
      return { label: 'Active', variant: 'success', needsRelogin, detail: null }
    case 'rate_limited':
      return { label: 'Rate limited', variant: 'warning', needsRelogin, detail: reason }
    case 'quota_exceeded':
      return { label: 'Quota exceeded', variant: 'warning', needsRelogin, detail: reason }
    case 'paused':
      return { label: 'Paused', variant: 'muted', needsRelogin, detail: reason }
    case 'deactivated':
      return { label: 'Deactivated', variant: 'destructive', needsRelogin, detail: reason }
  }
}

export const STATUS_LABELS: Record<AccountSummary['status'], string> = {
  active: 'Active',
  rate_limited: 'Rate limited',
  quota_exceeded: 'Quota exceeded',
  paused: 'Paused',
  deactivated: 'Deactivated',
}

export function remainingTone(percent: number): 'success' | 'warning' | 'destructive' {
  if (percent >= 50) return 'success'
  if (percent >= 20) return 'warning'
  return 'destructive'
}

export function planLabel(plan: string | null | undefined): string {
  if (!plan || plan === 'unknown') return 'Unknown plan'
  return plan.charAt(0).toUpperCase() + plan.slice(1)
}
