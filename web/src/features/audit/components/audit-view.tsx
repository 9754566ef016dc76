import { useQuery } from '@tanstack/react-query'
import { ShieldCheck } from 'lucide-react'
import { useState } from 'react'
import { EmptyState } from '@/components/empty-state'
import { PageFooter } from '@/components/page-footer'
import { QueryError } from '@/components/query-error'
import { Card } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
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
          <PageFooter
            offset={filters.offset}
            limit={filters.limit}
            shown={page.entries.length}
            total={page.total}
            hasMore={page.hasMore}
            sizes={AUDIT_PAGE_SIZES}
            onLimit={(limit) => update({ limit })}
            onOffset={(offset) => setFilters((f) => ({ ...f, offset }))}
          />
        ) : null}
      </Card>
    </div>
  )
}
