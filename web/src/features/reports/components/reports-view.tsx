import { useQuery } from '@tanstack/react-query'
import { BarChart3 } from 'lucide-react'
import { useMemo } from 'react'
import { useLocation, useSearch } from 'wouter'
import { EmptyState } from '@/components/empty-state'
import { QueryError } from '@/components/query-error'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { formatDateTime } from '@/lib/format'
import {
  BUCKET_LABELS,
  GROUP_LABELS,
  METRICS,
  parseParams,
  rangeQuery,
  reportQueryParams,
  serializeParams,
  type ReportParams,
} from '../params'
import { reportQuery } from '../queries'
import { KeyLimitsSection } from './key-limits-section'
import { ReportChart } from './report-chart'
import { ReportControls } from './report-controls'
import { ReportTable } from './report-table'

function useReportParams(): [ReportParams, (patch: Partial<ReportParams>) => void] {
  const search = useSearch()
  const [location, navigate] = useLocation()
  const params = useMemo(() => parseParams(search), [search])
  const update = (patch: Partial<ReportParams>) => {
    const qs = serializeParams({ ...params, ...patch })
    navigate(qs ? `${location}?${qs}` : location, { replace: true })
  }
  return [params, update]
}

export function ReportsView() {
  const [params, update] = useReportParams()
  const query = reportQueryParams(params)
  const report = useQuery(reportQuery(query))
  const metric = METRICS.find((m) => m.value === params.metric)?.label ?? 'Requests'
  const data = report.data

  return (
    <div className="space-y-6">
      <ReportControls params={params} onChange={update} />
      <Card>
        <CardHeader>
          <CardTitle>
            {metric} per {BUCKET_LABELS[params.bucket].toLowerCase()} by{' '}
            {GROUP_LABELS[params.groupBy].toLowerCase()}
          </CardTitle>
          <CardDescription>
            {data
              ? `${formatDateTime(data.since)} – ${formatDateTime(data.until)} · buckets in UTC`
              : 'Buckets in UTC'}
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-6">
          {report.isPending ? (
            <Skeleton className="h-72 w-full" />
          ) : report.isError ? (
            <QueryError
              error={report.error}
              what="the report"
              onRetry={() => void report.refetch()}
            />
          ) : data && data.groups.length === 0 ? (
            <EmptyState
              icon={BarChart3}
              title="No requests in this range"
              description="Choose a longer range, or send some traffic through the proxy."
            />
          ) : data ? (
            <>
              <ReportChart report={data} metric={params.metric} />
              <ReportTable report={data} groupLabel={GROUP_LABELS[params.groupBy]} />
            </>
          ) : null}
        </CardContent>
      </Card>
      <KeyLimitsSection
        apiKeyId={params.key}
        range={rangeQuery(params)}
        onPick={(key) => update({ key })}
      />
    </div>
  )
}
