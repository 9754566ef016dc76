import type { AccountSummary } from '@codex-lb/shared'
import { ChevronRight, LineChart } from 'lucide-react'
import { Fragment, lazy, Suspense, useState } from 'react'
import { Link } from 'wouter'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Skeleton } from '@/components/ui/skeleton'
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@/components/ui/table'
import { formatRelative, parseDate } from '@/lib/format'
import { accountLabel, accountState, planLabel } from '../account-state'
import { useCeilings } from '../headroom'
import { AccountActions } from './account-actions'
import { AccountStatusBadge } from './account-status-badge'
import { RouteOrderControl } from './route-order-control'
import { StreamCapControl } from './stream-cap-control'
import { UsageMeter } from './usage-meter'

// The chart library loads only when someone opens a trend, not with the accounts page.
const LazyTrends = lazy(() =>
  import('./account-trends').then((m) => ({ default: m.AccountTrends })),
)

function AccountTrends({ accountId }: { accountId: string }) {
  return (
    <Suspense fallback={<Skeleton className="h-48 w-full" />}>
      <LazyTrends accountId={accountId} />
    </Suspense>
  )
}

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
        {/* The alias when set (its title tells the email); an id_token without email leaves the id. */}
        <Link
          href={`/accounts/${encodeURIComponent(account.accountId)}`}
          className="truncate font-medium hover:underline"
          title={account.email || account.accountId}
        >
          {accountLabel(account)}
        </Link>
        <Badge variant="outline" className="text-muted-foreground">
          {planLabel(account.planType)}
        </Badge>
        <RouteOrderControl account={account} />
        <StreamCapControl account={account} />
      </div>
      {state.detail ? (
        <p className="mt-0.5 truncate text-xs text-muted-foreground" title={state.detail}>
          {state.detail}
        </p>
      ) : null}
    </div>
  )
}

function useToggleSet() {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set())
  return {
    has: (id: string) => open.has(id),
    toggle: (id: string) =>
      setOpen((current) => {
        const next = new Set(current)
        if (!next.delete(id)) next.add(id)
        return next
      }),
  }
}

export function AccountsTable({
  accounts,
  onRelogin,
}: {
  accounts: AccountSummary[]
  onRelogin(account: AccountSummary): void
}) {
  // Desktop rows and mobile cards keep separate state: a chart in the hidden layout would still
  // mount and measure a zero-sized box.
  const desktop = useToggleSet()
  const mobile = useToggleSet()
  const ceilingsOf = useCeilings()
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
              <Fragment key={account.accountId}>
                <TableRow data-testid="account-row">
                  <TableCell className="max-w-72">
                    <div className="flex items-center gap-1.5">
                      <Button
                        variant="ghost"
                        size="icon-sm"
                        className="-ml-2 shrink-0 text-muted-foreground"
                        aria-expanded={desktop.has(account.accountId)}
                        aria-label={`Usage trend for ${accountLabel(account)}`}
                        onClick={() => desktop.toggle(account.accountId)}
                      >
                        <ChevronRight
                          className={
                            desktop.has(account.accountId)
                              ? 'rotate-90 transition-transform'
                              : 'transition-transform'
                          }
                        />
                      </Button>
                      <AccountIdentity account={account} />
                    </div>
                  </TableCell>
                  <TableCell>
                    <AccountStatusBadge account={account} />
                  </TableCell>
                  <TableCell>
                    <UsageMeter
                      label="Remaining"
                      remaining={account.usage?.primaryRemainingPercent}
                      resetAt={account.resetAtPrimary}
                      ceiling={ceilingsOf(account).primary}
                    />
                  </TableCell>
                  <TableCell>
                    <UsageMeter
                      label="Remaining"
                      remaining={account.usage?.secondaryRemainingPercent}
                      resetAt={account.resetAtSecondary}
                      ceiling={ceilingsOf(account).secondary}
                    />
                  </TableCell>
                  <TableCell className="text-sm whitespace-nowrap">
                    <TokenExpiry account={account} />
                  </TableCell>
                  <TableCell>
                    <AccountActions account={account} onRelogin={() => onRelogin(account)} />
                  </TableCell>
                </TableRow>
                {desktop.has(account.accountId) ? (
                  <TableRow className="hover:bg-transparent">
                    <TableCell colSpan={6} className="bg-muted/20 py-4">
                      <AccountTrends accountId={account.accountId} />
                    </TableCell>
                  </TableRow>
                ) : null}
              </Fragment>
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
                ceiling={ceilingsOf(account).primary}
              />
              <UsageMeter
                label="Weekly"
                remaining={account.usage?.secondaryRemainingPercent}
                resetAt={account.resetAtSecondary}
                ceiling={ceilingsOf(account).secondary}
              />
            </div>
            <div className="flex items-center justify-between gap-2">
              <p className="text-xs text-muted-foreground">
                Access token: <TokenExpiry account={account} />
              </p>
              <Button
                variant="ghost"
                size="sm"
                aria-expanded={mobile.has(account.accountId)}
                onClick={() => mobile.toggle(account.accountId)}
              >
                <LineChart /> Trend
              </Button>
            </div>
            {mobile.has(account.accountId) ? <AccountTrends accountId={account.accountId} /> : null}
          </li>
        ))}
      </ul>
    </>
  )
}
