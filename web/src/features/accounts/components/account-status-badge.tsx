import type { AccountSummary } from '@codex-lb/shared'
import { Badge } from '@/components/ui/badge'
import { accountState } from '../account-state'

export function AccountStatusBadge({ account }: { account: AccountSummary }) {
  const state = accountState(account)
  return (
    <Badge variant={state.variant} title={state.detail ?? undefined}>
      <span className="size-1.5 rounded-full bg-current" aria-hidden="true" />
      {state.label}
    </Badge>
  )
}
