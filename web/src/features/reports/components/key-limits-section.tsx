import type { LimitHistory } from '@codex-lb/shared'
import { useQuery } from '@tanstack/react-query'
import { Gauge, KeyRound } from 'lucide-react'
import {
  Bar,
  BarChart,
  CartesianGrid,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts'
import { EmptyState } from '@/components/empty-state'
import { QueryError } from '@/components/query-error'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Label } from '@/components/ui/label'
import { NativeSelect } from '@/components/ui/native-select'
import { Skeleton } from '@/components/ui/skeleton'
import { apiKeysQuery } from '@/features/api-keys'
import { formatDateTime } from '@/lib/format'
import { formatLimitValue, limitName } from '../format'
import type { ReportQuery } from '../api'
import { keyUsageQuery } from '../queries'
import { chartTick, chartTooltipStyle } from '@/lib/chart-style'

/** One limit: usage per window as bars, the limit as a dashed line; windows over it in red. */
function LimitChart({ limit }: { limit: LimitHistory }) {
  const rows = limit.periods.map((p) => ({ t: p.start, used: p.used }))
  const format = (v: number) => formatLimitValue(limit.limitType, v)
  const over = limit.periods.filter((p) => p.used > limit.maxValue).length
  return (
    <div className="space-y-2 rounded-lg border p-3" data-testid="limit-history">
      <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
        <span className="font-medium">{limitName(limit)}</span>
        <span className="text-xs text-muted-foreground">
          limit {format(limit.maxValue)} per window
          {over > 0 ? ` · over it in ${over} window${over === 1 ? '' : 's'}` : ''}
        </span>
      </div>
      <div className="h-44" role="img" aria-label={`${limitName(limit)} usage per window`}>
        <ResponsiveContainer width="100%" height="100%" minWidth={0}>
          <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -8 }}>
            <CartesianGrid vertical={false} stroke="var(--border)" />
            <XAxis
              dataKey="t"
              tickLine={false}
              axisLine={false}
              minTickGap={12}
              tickFormatter={(t: string) => formatDateTime(t)}
              tick={chartTick}
            />
            <YAxis
              tickLine={false}
              axisLine={false}
              width={56}
              tickFormatter={format}
              tick={chartTick}
            />
            <Tooltip
              cursor={{ fill: 'var(--muted)', opacity: 0.6 }}
              labelFormatter={(t) => `Window from ${formatDateTime(String(t))}`}
              formatter={(v) => format(Number(v))}
              contentStyle={chartTooltipStyle}
            />
            <Bar dataKey="used" name="Used" fill="var(--chart-2)" radius={[3, 3, 0, 0]} />
            <ReferenceLine
              y={limit.maxValue}
              stroke="var(--chart-4)"
              strokeDasharray="4 4"
              ifOverflow="extendDomain"
            />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </div>
  )
}

function KeyHistory({
  apiKeyId,
  range,
}: {
  apiKeyId: string
  range: Pick<ReportQuery, 'since' | 'until'>
}) {
  const history = useQuery(keyUsageQuery(apiKeyId, range))
  if (history.isPending) return <Skeleton className="h-44 w-full" />
  if (history.isError) {
    return (
      <QueryError
        error={history.error}
        what="limit history"
        onRetry={() => void history.refetch()}
      />
    )
  }
  if (history.data.limits.length === 0) {
    return (
      <EmptyState
        icon={Gauge}
        title="This key has no limits"
        description="Add token or cost limits to it under API keys to follow its usage against them here."
      />
    )
  }
  return (
    <div className="grid gap-3 xl:grid-cols-2">
      {history.data.limits.map((limit) => (
        <LimitChart key={limit.id} limit={limit} />
      ))}
    </div>
  )
}

/** Pick an API key: its usage in each window of each of its limits over the report's range. */
export function KeyLimitsSection({
  apiKeyId,
  range,
  onPick,
}: {
  apiKeyId: string
  range: Pick<ReportQuery, 'since' | 'until'>
  onPick: (apiKeyId: string) => void
}) {
  const keys = useQuery(apiKeysQuery())
  return (
    <Card>
      <CardHeader>
        <CardTitle>API key limits</CardTitle>
        <CardDescription>
          Usage per limit window against the limit, over the range above.
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        <div className="grid max-w-xs gap-1.5">
          <Label htmlFor="report-key" className="text-xs text-muted-foreground">
            API key
          </Label>
          <NativeSelect id="report-key" value={apiKeyId} onChange={(e) => onPick(e.target.value)}>
            <option value="">Choose a key…</option>
            {(keys.data ?? []).map((k) => (
              <option key={k.id} value={k.id}>
                {k.name}
              </option>
            ))}
          </NativeSelect>
        </div>
        {apiKeyId ? (
          <KeyHistory apiKeyId={apiKeyId} range={range} />
        ) : (
          <EmptyState
            icon={KeyRound}
            title={keys.data?.length === 0 ? 'No API keys yet' : 'No key chosen'}
            description={
              keys.data?.length === 0
                ? 'Create a key under API keys; its limits show up here.'
                : 'Choose a key to see its usage against each of its limits.'
            }
            className="py-6"
          />
        )}
      </CardContent>
    </Card>
  )
}
