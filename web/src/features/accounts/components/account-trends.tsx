import { useQuery } from '@tanstack/react-query'
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts'
import { QueryError } from '@/components/query-error'
import { Skeleton } from '@/components/ui/skeleton'
import { accountTrendsQuery } from '../queries'
import { chartTick, chartTooltipStyle, percentAxis, windowLines } from '@/lib/chart-style'

const dayTick = new Intl.DateTimeFormat(undefined, { weekday: 'short' })
const fullTime = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  hour: '2-digit',
  minute: '2-digit',
})

/** Remaining % of both quota windows over the last 7 days (hourly points). */
export function AccountTrends({ accountId }: { accountId: string }) {
  const trends = useQuery(accountTrendsQuery(accountId))
  if (trends.isPending) return <Skeleton className="h-48 w-full" />
  if (trends.isError)
    return <QueryError error={trends.error} what="usage trends" className="py-6" />
  const { primary, secondary } = trends.data
  if (primary.length === 0 && secondary.length === 0) {
    return (
      <p className="py-6 text-center text-sm text-muted-foreground">
        No usage samples yet for this account.
      </p>
    )
  }
  const byTime = new Map<string, { t: string; primary?: number; secondary?: number }>()
  for (const p of primary) byTime.set(p.t, { t: p.t, primary: p.v })
  for (const p of secondary) byTime.set(p.t, { ...(byTime.get(p.t) ?? { t: p.t }), secondary: p.v })
  const data = [...byTime.values()].sort((a, b) => a.t.localeCompare(b.t))
  return (
    <div className="h-48" data-testid="account-trends">
      <ResponsiveContainer width="100%" height="100%" minWidth={0}>
        <LineChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: -20 }}>
          <CartesianGrid vertical={false} stroke="var(--border)" />
          <XAxis
            dataKey="t"
            tickLine={false}
            axisLine={false}
            // One tick per local midnight: hourly points would otherwise repeat day names.
            ticks={data.filter((d) => new Date(d.t).getHours() === 0).map((d) => d.t)}
            tickFormatter={(t: string) => dayTick.format(new Date(t))}
            tick={chartTick}
          />
          <YAxis {...percentAxis} />
          <Tooltip
            labelFormatter={(t) => fullTime.format(new Date(String(t)))}
            formatter={(v) => `${Math.round(Number(v))}%`}
            contentStyle={chartTooltipStyle}
          />
          <Legend iconType="plainline" wrapperStyle={{ fontSize: 12 }} />
          {windowLines.map((line) => (
            <Line key={line.dataKey} {...line} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  )
}
