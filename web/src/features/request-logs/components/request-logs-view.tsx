import type { AccountSummary } from '@codex-lb/shared'
import { useQuery } from '@tanstack/react-query'
import { ChevronLeft, ChevronRight, ScrollText } from 'lucide-react'
import { useMemo, useState } from 'react'
import { EmptyState } from '@/components/empty-state'
import { QueryError } from '@/components/query-error'
import { Button } from '@/components/ui/button'
import { Card } from '@/components/ui/card'
import { NativeSelect } from '@/components/ui/native-select'
import { Skeleton } from '@/components/ui/skeleton'
import { formatInteger } from '@/lib/format'
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
  const from = page && page.total > 0 ? filters.offset + 1 : 0
  const to = page ? filters.offset + page.requests.length : 0

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
          <div className="flex flex-wrap items-center justify-between gap-2 border-t px-5 py-3 text-sm">
            <span className="text-muted-foreground tabular-nums">
              {formatInteger(from)}–{formatInteger(to)} of {formatInteger(page.total)}
            </span>
            <div className="flex items-center gap-2">
              <NativeSelect
                aria-label="Rows per page"
                value={String(filters.limit)}
                onChange={(e) => update({ limit: Number(e.target.value) })}
                className="w-32"
              >
                {PAGE_SIZES.map((n) => (
                  <option key={n} value={n}>
                    {n} / page
                  </option>
                ))}
              </NativeSelect>
              <Button
                variant="outline"
                size="icon-sm"
                aria-label="Previous page"
                disabled={filters.offset === 0}
                onClick={() => update({ offset: Math.max(0, filters.offset - filters.limit) })}
              >
                <ChevronLeft />
              </Button>
              <Button
                variant="outline"
                size="icon-sm"
                aria-label="Next page"
                disabled={!page.hasMore}
                onClick={() => update({ offset: filters.offset + filters.limit })}
              >
                <ChevronRight />
              </Button>
            </div>
          </div>
        ) : null}
      </Card>
      <RequestDetailPanel id={openId} onClose={() => setOpenId(null)} />
    </div>
  )
}
