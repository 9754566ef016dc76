import type { AccountHistory } from '@codex-lb/shared'
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
import { chartTick, chartTooltipStyle, percentAxis, windowLines } from '@/lib/chart-style'

interface Point {
  time: number
  primary?: number
  secondary?: number
}

/** Both windows on one time axis; a bucket only one window has leaves the other's line to bridge. */
function mergeWindows(windows: AccountHistory['windows']): Point[] {
  const byTime = new Map<number, Point>()
  const add = (key: 'primary' | 'secondary', at: string, value: number) => {
    const time = Date.parse(at)
    byTime.set(time, { ...(byTime.get(time) ?? { time }), [key]: value })
  }
  for (const p of windows.primary) add('primary', p.at, p.usedPercent)
  for (const p of windows.secondary) add('secondary', p.at, p.usedPercent)
  return [...byTime.values()].sort((a, b) => a.time - b.time)
}

const hourTick = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })
const dayTick = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' })
const fullTime = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
})

/** Used % of the 5 h and weekly windows over the chosen range (the peak of each bucket). */
export function WindowHistoryChart({ history }: { history: AccountHistory }) {
  const data = mergeWindows(history.windows)
  if (data.length === 0) {
    return (
      <p className="py-10 text-center text-sm text-muted-foreground">
        No usage samples in this range.
      </p>
    )
  }
  const since = Date.parse(history.since)
  const until = Date.parse(history.until)
  const tick = history.range === '24h' ? hourTick : dayTick
  return (
    <div className="h-64" data-testid="window-history-chart">
      <ResponsiveContainer width="100%" height="100%" minWidth={0}>
        <LineChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: -20 }}>
          <CartesianGrid vertical={false} stroke="var(--border)" />
          <XAxis
            dataKey="time"
            type="number"
            scale="time"
            domain={[since, until]}
            tickLine={false}
            axisLine={false}
            tickFormatter={(t: number) => tick.format(new Date(t))}
            tick={chartTick}
          />
          <YAxis {...percentAxis} />
          <Tooltip
            labelFormatter={(t) => fullTime.format(new Date(Number(t)))}
            formatter={(v) => `${Math.round(Number(v))}% used`}
            contentStyle={chartTooltipStyle}
          />
          <Legend iconType="plainline" wrapperStyle={{ fontSize: 12 }} />
          {windowLines.map((line) => (
            <Line key={line.dataKey} {...line} connectNulls />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  )
}
