import { REQUEST_LOG_STATUSES, type AccountSummary } from '@codex-lb/shared'
import { useQuery } from '@tanstack/react-query'
import { ChevronLeft, ChevronRight, RotateCcw, ScrollText } from 'lucide-react'
import { useEffect, useMemo, useState } from 'react'
import { useLocation, useSearch } from 'wouter'
import { EmptyState } from '@/components/empty-state'
import { QueryError } from '@/components/query-error'
import { Button } from '@/components/ui/button'
import { Card } from '@/components/ui/card'
import { SearchInput } from '@/components/search-input'
import { NativeSelect } from '@/components/ui/native-select'
import { Skeleton } from '@/components/ui/skeleton'
import { formatInteger } from '@/lib/format'
import { cn } from '@/lib/utils'
import { accountLabel } from '@/features/accounts'
import {
  DEFAULT_FILTERS,
  PAGE_SIZES,
  TIMEFRAMES,
  modelOptionLabel,
  modelOptionValue,
  parseFilters,
  serializeFilters,
  type LogFilters,
} from '../filters'
import { requestLogOptionsQuery, requestLogsQuery } from '../queries'
import { ExportCsvButton } from './export-csv-button'
import { RequestLogsTable } from './request-logs-table'
import { LOG_STATUS_META } from './status-chip'

function useLogFilters(): [LogFilters, (patch: Partial<LogFilters>) => void] {
  const search = useSearch()
  const [location, navigate] = useLocation()
  const filters = useMemo(() => parseFilters(search), [search])
  const update = (patch: Partial<LogFilters>) => {
    // Any change other than paging starts again from the first page.
    const next = { ...filters, offset: 0, ...patch }
    const qs = serializeFilters(next)
    navigate(qs ? `${location}?${qs}` : location, { replace: true })
  }
  return [filters, update]
}

export function RequestLogsView({ accounts }: { accounts: AccountSummary[] | undefined }) {
  const [filters, update] = useLogFilters()
  const [searchText, setSearchText] = useState(filters.search)
  useEffect(() => {
    if (searchText === filters.search) return
    const timer = setTimeout(() => update({ search: searchText }), 300)
    return () => clearTimeout(timer)
    // Debounced on the typed text only: re-running on every filter change would re-apply stale text.
  }, [searchText])

  const logs = useQuery(requestLogsQuery(filters))
  const options = useQuery(requestLogOptionsQuery(filters.timeframe))
  const accountMap = useMemo(
    () => (accounts ? new Map(accounts.map((a) => [a.accountId, a])) : undefined),
    [accounts],
  )
  const accountChoices = useMemo(() => {
    const ids = new Set([...(options.data?.accountIds ?? []), ...filters.accountIds])
    return [...ids].map((id) => {
      const account = accountMap?.get(id)
      return { id, label: account ? accountLabel(account) : 'deleted account' }
    })
  }, [options.data, filters.accountIds, accountMap])
  const modelChoices = useMemo(() => {
    const values = new Set([
      ...(options.data?.modelOptions ?? []).map((o) =>
        modelOptionValue(o.model, o.reasoningEffort),
      ),
      ...filters.modelOptions,
    ])
    return [...values]
  }, [options.data, filters.modelOptions])

  const toggleStatus = (status: string) =>
    update({
      statuses: filters.statuses.includes(status)
        ? filters.statuses.filter((s) => s !== status)
        : [...filters.statuses, status],
    })
  const filtered = serializeFilters({ ...filters, limit: DEFAULT_FILTERS.limit, offset: 0 }) !== ''

  const page = logs.data
  const from = page && page.total > 0 ? filters.offset + 1 : 0
  const to = page ? filters.offset + page.requests.length : 0

  return (
    <div className="space-y-4">
      <div className="flex flex-col gap-2 lg:flex-row lg:flex-wrap lg:items-center">
        <SearchInput
          placeholder="Search requests"
          label="Search request logs"
          value={searchText}
          onValueChange={setSearchText}
          className="lg:w-64"
        />
        <div className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:flex">
          <NativeSelect
            aria-label="Timeframe"
            value={filters.timeframe}
            onChange={(e) => update({ timeframe: e.target.value as LogFilters['timeframe'] })}
            className="lg:w-40"
          >
            {TIMEFRAMES.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </NativeSelect>
          <NativeSelect
            aria-label="Account"
            value={filters.accountIds[0] ?? ''}
            onChange={(e) => update({ accountIds: e.target.value ? [e.target.value] : [] })}
            className="lg:w-52"
          >
            <option value="">All accounts</option>
            {accountChoices.map((a) => (
              <option key={a.id} value={a.id}>
                {a.label}
              </option>
            ))}
          </NativeSelect>
          <NativeSelect
            aria-label="Model"
            value={filters.modelOptions[0] ?? ''}
            onChange={(e) => update({ modelOptions: e.target.value ? [e.target.value] : [] })}
            className="col-span-2 sm:col-span-1 lg:w-48"
          >
            <option value="">All models</option>
            {modelChoices.map((m) => (
              <option key={m} value={m}>
                {modelOptionLabel(m)}
              </option>
            ))}
          </NativeSelect>
        </div>
        <div className="flex flex-wrap items-center gap-1.5" role="group" aria-label="Status">
          {REQUEST_LOG_STATUSES.map((s) => {
            const on = filters.statuses.includes(s)
            return (
              <button
                key={s}
                type="button"
                aria-pressed={on}
                onClick={() => toggleStatus(s)}
                className={cn(
                  'h-7 rounded-full border px-3 text-xs font-medium text-muted-foreground transition-colors hover:bg-accent',
                  on && 'border-foreground/20 bg-accent text-foreground',
                )}
              >
                {LOG_STATUS_META[s]?.label ?? s}
              </button>
            )
          })}
          {filtered ? (
            <Button
              variant="ghost"
              size="sm"
              onClick={() => {
                setSearchText('')
                update({ ...DEFAULT_FILTERS, limit: filters.limit })
              }}
            >
              <RotateCcw /> Reset
            </Button>
          ) : null}
        </div>
        <div className="lg:ml-auto">
          <ExportCsvButton filters={filters} />
        </div>
      </div>

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
            <RequestLogsTable requests={logs.data.requests} accounts={accountMap} />
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
    </div>
  )
}
