import { useQuery } from '@tanstack/react-query'
import { ChevronLeft, ChevronRight, ShieldCheck } from 'lucide-react'
import { useState } from 'react'
import { EmptyState } from '@/components/empty-state'
import { QueryError } from '@/components/query-error'
import { Button } from '@/components/ui/button'
import { Card } from '@/components/ui/card'
import { NativeSelect } from '@/components/ui/native-select'
import { Skeleton } from '@/components/ui/skeleton'
import { formatInteger } from '@/lib/format'
import { cn } from '@/lib/utils'
import { AUDIT_PAGE_SIZES, DEFAULT_AUDIT_FILTERS, isFiltered, type AuditFilters } from '../filters'
import { auditLogQuery, auditOptionsQuery } from '../queries'
import { AuditFilterBar } from './audit-filter-bar'
import { AuditTable } from './audit-table'

/** The end of a custom range before its start: the API would refuse it (422), so it is not asked. */
function rangeProblem(filters: AuditFilters): string | null {
  if (filters.timeframe !== 'custom' || !filters.since || !filters.until) return null
  return Date.parse(filters.since) > Date.parse(filters.until)
    ? 'The end of the range must not be before its start.'
    : null
}

export function AuditView() {
  const [filters, setFilters] = useState<AuditFilters>(DEFAULT_AUDIT_FILTERS)
  // Any filter change goes back to the first page; paging keeps the filters.
  const update = (patch: Partial<AuditFilters>) =>
    setFilters((f) => ({ ...f, offset: 0, ...patch }))
  const problem = rangeProblem(filters)
  const log = useQuery({ ...auditLogQuery(filters), enabled: problem === null })
  const options = useQuery(auditOptionsQuery())
  const filtered = isFiltered(filters)

  const page = log.data
  const from = page && page.total > 0 ? filters.offset + 1 : 0
  const to = page ? filters.offset + page.entries.length : 0

  return (
    <div className="space-y-4">
      <AuditFilterBar filters={filters} update={update} actionsPresent={options.data?.actions} />
      <Card className="gap-0 overflow-hidden py-0">
        {problem ? (
          <p role="alert" className="p-5 text-sm text-destructive">
            {problem}
          </p>
        ) : log.isPending ? (
          <div className="space-y-2 p-5">
            {[0, 1, 2, 3].map((i) => (
              <Skeleton key={i} className="h-8 w-full" />
            ))}
          </div>
        ) : log.isError ? (
          <QueryError error={log.error} what="audit log" onRetry={() => void log.refetch()} />
        ) : log.data.entries.length === 0 ? (
          <EmptyState
            icon={ShieldCheck}
            title={filtered ? 'No entries match these filters' : 'Nothing recorded yet'}
            description={
              filtered
                ? 'Try a longer time range or clear the filters.'
                : 'Sign-ins and changes to accounts, API keys and settings show up here.'
            }
          />
        ) : (
          <div className={cn(log.isPlaceholderData && 'opacity-60 transition-opacity')}>
            <AuditTable entries={log.data.entries} />
          </div>
        )}
        {page && page.total > 0 && !problem ? (
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
                {AUDIT_PAGE_SIZES.map((n) => (
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
                onClick={() =>
                  setFilters((f) => ({ ...f, offset: Math.max(0, f.offset - f.limit) }))
                }
              >
                <ChevronLeft />
              </Button>
              <Button
                variant="outline"
                size="icon-sm"
                aria-label="Next page"
                disabled={!page.hasMore}
                onClick={() => setFilters((f) => ({ ...f, offset: f.offset + f.limit }))}
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
