import type { AccountSummary } from '@codex-lb/shared'
import { Badge } from '@/components/ui/badge'
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@/components/ui/table'
import { formatRelative, parseDate } from '@/lib/format'
import { accountState, planLabel } from '../account-state'
import { AccountActions } from './account-actions'
import { AccountStatusBadge } from './account-status-badge'
import { UsageMeter } from './usage-meter'

function TokenExpiry({ account }: { account: AccountSummary }) {
  const expires = parseDate(account.auth?.access.expiresAt)
  if (!expires) return <span className="text-muted-foreground">–</span>
  const expired = expires.getTime() < Date.now()
  return (
    <span
      className={expired ? 'text-muted-foreground' : undefined}
      title={expired ? 'Refreshed automatically on the next request' : expires.toLocaleString()}
    >
      {expired ? `expired ${formatRelative(expires)}` : formatRelative(expires)}
    </span>
  )
}

function AccountIdentity({ account }: { account: AccountSummary }) {
  const state = accountState(account)
  return (
    <div className="min-w-0">
      <div className="flex items-center gap-2">
        <span className="truncate font-medium" title={account.email || account.accountId}>
          {/* An id_token without an email claim leaves the email empty. */}
          {account.email || account.accountId}
        </span>
        <Badge variant="outline" className="text-muted-foreground">
          {planLabel(account.planType)}
        </Badge>
      </div>
      {state.detail ? (
        <p className="mt-0.5 truncate text-xs text-muted-foreground" title={state.detail}>
          {state.detail}
        </p>
      ) : null}
    </div>
  )
}

export function AccountsTable({
  accounts,
  onRelogin,
}: {
  accounts: AccountSummary[]
  onRelogin(account: AccountSummary): void
}) {
  return (
    <>
      <div className="hidden md:block">
        <Table>
          <TableHeader>
            <TableRow className="hover:bg-transparent">
              <TableHead>Account</TableHead>
              <TableHead>Status</TableHead>
              <TableHead className="w-40">5 h window</TableHead>
              <TableHead className="w-40">Weekly</TableHead>
              <TableHead>Access token</TableHead>
              <TableHead className="text-right">
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {accounts.map((account) => (
              <TableRow key={account.accountId} data-testid="account-row">
                <TableCell className="max-w-72">
                  <AccountIdentity account={account} />
                </TableCell>
                <TableCell>
                  <AccountStatusBadge account={account} />
                </TableCell>
                <TableCell>
                  <UsageMeter
                    label="Remaining"
                    remaining={account.usage?.primaryRemainingPercent}
                    resetAt={account.resetAtPrimary}
                  />
                </TableCell>
                <TableCell>
                  <UsageMeter
                    label="Remaining"
                    remaining={account.usage?.secondaryRemainingPercent}
                    resetAt={account.resetAtSecondary}
                  />
                </TableCell>
                <TableCell className="text-sm whitespace-nowrap">
                  <TokenExpiry account={account} />
                </TableCell>
                <TableCell>
                  <AccountActions account={account} onRelogin={() => onRelogin(account)} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>

      <ul className="divide-y md:hidden">
        {accounts.map((account) => (
          <li key={account.accountId} className="space-y-3 px-4 py-4">
            <div className="flex items-start justify-between gap-2">
              <AccountIdentity account={account} />
              <AccountActions account={account} onRelogin={() => onRelogin(account)} />
            </div>
            <AccountStatusBadge account={account} />
            <div className="grid grid-cols-2 gap-4">
              <UsageMeter
                label="5 h window"
                remaining={account.usage?.primaryRemainingPercent}
                resetAt={account.resetAtPrimary}
              />
              <UsageMeter
                label="Weekly"
                remaining={account.usage?.secondaryRemainingPercent}
                resetAt={account.resetAtSecondary}
              />
            </div>
            <p className="text-xs text-muted-foreground">
              Access token: <TokenExpiry account={account} />
            </p>
          </li>
        ))}
      </ul>
    </>
  )
}
