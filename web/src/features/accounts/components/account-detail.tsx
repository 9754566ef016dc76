import type { AccountSummary } from '@codex-lb/shared'
import { useQuery } from '@tanstack/react-query'
import { ArrowLeft, Download, UserX } from 'lucide-react'
import { useState, type ReactNode } from 'react'
import { Link, useLocation } from 'wouter'
import { EmptyState } from '@/components/empty-state'
import { QueryError } from '@/components/query-error'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardContent } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { accountLabel, accountState, planLabel } from '../account-state'
import { accountsQuery } from '../queries'
import { AccountActions } from './account-actions'
import { AccountHistoryPanel } from './account-history-panel'
import { AccountStatusBadge } from './account-status-badge'
import { AddAccountDialog } from './add-account-dialog'
import { EgressProxyField } from './egress-proxy-field'
import { ExportAuthJsonDialog } from './export-auth-json-dialog'

function BackLink() {
  return (
    <Link
      href="/accounts"
      className="inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground"
    >
      <ArrowLeft className="size-4" /> All accounts
    </Link>
  )
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0 space-y-0.5">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="truncate text-sm font-medium">{children}</dd>
    </div>
  )
}

function Identity({ account }: { account: AccountSummary }) {
  const state = accountState(account)
  return (
    <Card>
      <CardContent>
        <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          <Fact label="Email">{account.email || '–'}</Fact>
          <Fact label="Plan">{planLabel(account.planType)}</Fact>
          <Fact label="Workspace">
            <span className="font-mono text-xs">{account.workspaceId ?? '–'}</span>
          </Fact>
          <Fact label="Status">
            <AccountStatusBadge account={account} />
          </Fact>
        </dl>
        {state.detail ? (
          <p className="mt-4 text-sm text-muted-foreground" data-testid="status-reason">
            {state.detail}
          </p>
        ) : null}
      </CardContent>
    </Card>
  )
}

/** One account's page: who it is, what can be done with it, and how it has been doing. */
export function AccountDetail({ accountId }: { accountId: string }) {
  const accounts = useQuery(accountsQuery())
  const [, navigate] = useLocation()
  const [relogin, setRelogin] = useState(false)
  const [exporting, setExporting] = useState(false)
  const account = accounts.data?.find((a) => a.accountId === accountId)

  if (accounts.isPending) return <Skeleton className="h-40 w-full" />
  if (accounts.isError) {
    return (
      <QueryError error={accounts.error} what="accounts" onRetry={() => void accounts.refetch()} />
    )
  }
  if (!account) {
    return (
      <div className="space-y-6">
        <BackLink />
        <EmptyState
          icon={UserX}
          title="Account not found"
          description="It may have been deleted. The accounts list shows every account in the pool."
        />
      </div>
    )
  }
  const name = accountLabel(account)
  return (
    <div className="space-y-6">
      <BackLink />
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
        <div className="min-w-0 space-y-1">
          <h1 className="flex items-center gap-2 text-2xl font-semibold tracking-tight">
            <span className="truncate">{name}</span>
            {account.alias ? (
              <Badge variant="outline" className="text-muted-foreground">
                alias
              </Badge>
            ) : null}
          </h1>
          <p className="font-mono text-xs text-muted-foreground">{account.accountId}</p>
        </div>
        <div className="flex items-center gap-2">
          <Button variant="outline" size="sm" onClick={() => setExporting(true)}>
            <Download /> Export auth.json
          </Button>
          <AccountActions
            account={account}
            onRelogin={() => setRelogin(true)}
            onDeleted={() => navigate('/accounts')}
          />
        </div>
      </div>
      <Identity account={account} />
      <EgressProxyField account={account} />
      <AccountHistoryPanel accountId={account.accountId} />
      <AddAccountDialog open={relogin} relogin={account.email} onOpenChange={setRelogin} />
      {exporting ? (
        <ExportAuthJsonDialog account={account} onClose={() => setExporting(false)} />
      ) : null}
    </div>
  )
}
