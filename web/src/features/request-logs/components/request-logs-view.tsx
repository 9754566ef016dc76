import type { AccountSummary } from '@codex-lb/shared'
import { useQuery } from '@tanstack/react-query'
import { ScrollText } from 'lucide-react'
import { useMemo, useState } from 'react'
import { EmptyState } from '@/components/empty-state'
import { PageFooter } from '@/components/page-footer'
import { QueryError } from '@/components/query-error'
import { Card } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { cn } from '@/lib/utils'
import { PAGE_SIZES, isFiltered } from '../filters'
import { useLogColumns } from '../hooks/use-log-columns'
import { useLogFilters } from '../hooks/use-log-filters'
import { requestLogOptionsQuery, requestLogsQuery } from '../queries'
import { LogFilterBar } from './log-filter-bar'
import { RequestDetailPanel } from './request-detail-panel'
import { RequestLogsTable } from './request-logs-table'

export function RequestLogsView({ accounts }: { accounts: AccountSummary[] | undefined }) {
  const [filters, update] = useLogFilters()
  const columns = useLogColumns()

  const logs = useQuery(requestLogsQuery(filters))
  const [openId, setOpenId] = useState<number | null>(null)
  const options = useQuery(
    requestLogOptionsQuery({
      timeframe: filters.timeframe,
      since: filters.since,
      until: filters.until,
    }),
  )
  const accountMap = useMemo(
    () => (accounts ? new Map(accounts.map((a) => [a.accountId, a])) : undefined),
    [accounts],
  )
  const filtered = isFiltered(filters)

  const page = logs.data

  return (
    <div className="space-y-4">
      <LogFilterBar
        filters={filters}
        update={update}
        options={options.data}
        accounts={accountMap}
        columns={columns}
      />

      <Card className="gap-0 overflow-hidden py-0">
        {logs.isPending ? (
          <div className="space-y-2 p-5">
            {[0, 1, 2, 3, 4].map((i) => (
              <Skeleton key={i} className="h-8 w-full" />
            ))}
          </div>
        ) : logs.isError ? (
          <QueryError error={logs.error} what="request logs" onRetry={() => void logs.refetch()} />
        ) : logs.data.requests.length === 0 ? (
          <EmptyState
            icon={ScrollText}
            title={filtered ? 'No requests match these filters' : 'No requests yet'}
            description={
              filtered
                ? 'Try a longer timeframe or clear the filters.'
                : 'Requests proxied through codex-lb show up here as they happen.'
            }
          />
        ) : (
          <div className={cn(logs.isPlaceholderData && 'opacity-60 transition-opacity')}>
            <RequestLogsTable
              requests={logs.data.requests}
              accounts={accountMap}
              onSelect={(entry) => setOpenId(entry.id)}
              selectedId={openId}
              hidden={columns.hidden}
            />
          </div>
        )}
        {page && page.total > 0 ? (
          <PageFooter
            offset={filters.offset}
            limit={filters.limit}
            shown={page.requests.length}
            total={page.total}
            hasMore={page.hasMore}
            sizes={PAGE_SIZES}
            onLimit={(limit) => update({ limit })}
            onOffset={(offset) => update({ offset })}
          />
        ) : null}
      </Card>
      <RequestDetailPanel id={openId} onClose={() => setOpenId(null)} />
    </div>
  )
}
