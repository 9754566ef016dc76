import { ACCOUNT_STATUSES, type AccountSummary } from '@codex-lb/shared'
import { useQuery } from '@tanstack/react-query'
import { Plus, Search, Users } from 'lucide-react'
import { useMemo, useState } from 'react'
import { EmptyState } from '@/components/empty-state'
import { QueryError } from '@/components/query-error'
import { Button } from '@/components/ui/button'
import { Card } from '@/components/ui/card'
import { SearchInput } from '@/components/search-input'
import { NativeSelect } from '@/components/ui/native-select'
import { Skeleton } from '@/components/ui/skeleton'
import { STATUS_LABELS, accountState } from '../account-state'
import { accountsQuery } from '../queries'
import { AccountsTable } from './accounts-table'
import { AddAccountDialog } from './add-account-dialog'

type StatusFilter = 'all' | 'relogin' | AccountSummary['status']

function matches(account: AccountSummary, search: string, status: StatusFilter): boolean {
  if (status === 'relogin' && !accountState(account).needsRelogin) return false
  if (status !== 'all' && status !== 'relogin' && account.status !== status) return false
  const needle = search.trim().toLowerCase()
  if (!needle) return true
  return [account.email, account.accountId, account.planType ?? ''].some((v) =>
    v.toLowerCase().includes(needle),
  )
}

export function AccountsManager() {
  const accounts = useQuery(accountsQuery())
  const [search, setSearch] = useState('')
  const [status, setStatus] = useState<StatusFilter>('all')
  const [dialog, setDialog] = useState<{ open: boolean; relogin: string | null }>({
    open: false,
    relogin: null,
  })
  const visible = useMemo(
    () => (accounts.data ?? []).filter((a) => matches(a, search, status)),
    [accounts.data, search, status],
  )
  const openAdd = () => setDialog({ open: true, relogin: null })

  return (
    <div className="space-y-4">
      <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
        <SearchInput
          placeholder="Search accounts"
          label="Search accounts"
          value={search}
          onValueChange={setSearch}
          className="flex-1 sm:max-w-xs"
        />
        <NativeSelect
          aria-label="Filter by status"
          value={status}
          onChange={(e) => setStatus(e.target.value as StatusFilter)}
          className="sm:w-44"
        >
          <option value="all">All statuses</option>
          {ACCOUNT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
          <option value="relogin">Needs re-login</option>
        </NativeSelect>
        <Button className="sm:ml-auto" onClick={openAdd}>
          <Plus /> Add account
        </Button>
      </div>

      <Card className="gap-0 overflow-hidden py-0">
        {accounts.isPending ? (
          <div className="space-y-3 p-5">
            {[0, 1, 2].map((i) => (
              <Skeleton key={i} className="h-12 w-full" />
            ))}
          </div>
        ) : accounts.isError ? (
          <QueryError
            error={accounts.error}
            what="accounts"
            onRetry={() => void accounts.refetch()}
          />
        ) : accounts.data.length === 0 ? (
          <EmptyState
            icon={Users}
            title="No accounts yet"
            description="Add a ChatGPT account to start routing Codex requests through the pool."
            action={
              <Button onClick={openAdd}>
                <Plus /> Add account
              </Button>
            }
          />
        ) : visible.length === 0 ? (
          <EmptyState icon={Search} title="No matching accounts" />
        ) : (
          <AccountsTable
            accounts={visible}
            onRelogin={(account) => setDialog({ open: true, relogin: account.email })}
          />
        )}
      </Card>

      <AddAccountDialog
        open={dialog.open}
        relogin={dialog.relogin}
        onOpenChange={(open) => setDialog((d) => ({ ...d, open }))}
      />
    </div>
  )
}
