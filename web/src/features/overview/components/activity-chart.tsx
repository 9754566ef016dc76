import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { BarChart3 } from 'lucide-react'
import { EmptyState } from '@/components/empty-state'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { formatCompact } from '@/lib/format'
import type { Trends } from '../derive'
import { chartTick, chartTooltipStyle } from '@/lib/chart-style'

const tick = new Intl.DateTimeFormat(undefined, { weekday: 'short' })
const full = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  hour: '2-digit',
  minute: '2-digit',
})

export function ActivityChart({ trends, note }: { trends: Trends; note?: string }) {
  const data = trends.requests.map((p, i) => {
    const errors = Math.round(p.v * (trends.errorRate[i]?.v ?? 0))
    return { t: p.t, ok: p.v - errors, errors }
  })
  return (
    <Card>
      <CardHeader>
        <CardTitle>Requests</CardTitle>
        <CardDescription>Last 7 days in 6-hour buckets{note ? ` · ${note}` : ''}</CardDescription>
      </CardHeader>
      <CardContent>
        {data.every((d) => d.ok + d.errors === 0) ? (
          <EmptyState
            icon={BarChart3}
            title="No requests in the last 7 days"
            description="Point Codex at this server (see Settings → Client setup) and traffic shows up here."
            className="h-56 py-0"
          />
        ) : (
          <div className="h-56">
            <ResponsiveContainer width="100%" height="100%" minWidth={0}>
              <BarChart data={data} margin={{ top: 4, right: 4, bottom: 0, left: -16 }}>
                <CartesianGrid vertical={false} stroke="var(--border)" />
                <XAxis
                  dataKey="t"
                  tickLine={false}
                  axisLine={false}
                  interval={3}
                  tickFormatter={(t: string) => tick.format(new Date(t))}
                  tick={chartTick}
                />
                <YAxis
                  tickLine={false}
                  axisLine={false}
                  allowDecimals={false}
                  tickFormatter={(v: number) => formatCompact(v)}
                  tick={chartTick}
                />
                <Tooltip
                  cursor={{ fill: 'var(--muted)', opacity: 0.6 }}
                  labelFormatter={(t) => full.format(new Date(String(t)))}
                  contentStyle={chartTooltipStyle}
                />
                <Bar
                  dataKey="ok"
                  name="OK"
                  stackId="r"
                  fill="var(--chart-1)"
                  radius={[0, 0, 0, 0]}
                />
                <Bar
                  dataKey="errors"
                  name="Errors"
                  stackId="r"
                  fill="var(--chart-4)"
                  radius={[3, 3, 0, 0]}
                />
              </BarChart>
            </ResponsiveContainer>
          </div>
        )}
      </CardContent>
    </Card>
  )
}
