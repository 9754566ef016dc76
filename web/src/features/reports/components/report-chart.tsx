import type { Report } from '@codex-lb/shared'
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts'
import { chartData } from '../chart-data'
import { formatBucket, formatMetric } from '../format'
import type { Metric } from '../params'
import { chartTick, chartTooltipStyle } from '@/lib/chart-style'

/** The chosen metric per bucket, one stacked bar segment per group. */
export function ReportChart({ report, metric }: { report: Report; metric: Metric }) {
  const { series, rows } = chartData(report, metric)
  return (
    <div className="h-72" role="img" aria-label={`${metric} per ${report.bucket} by group`}>
      <ResponsiveContainer width="100%" height="100%" minWidth={0}>
        <BarChart data={rows} margin={{ top: 4, right: 4, bottom: 0, left: -8 }}>
          <CartesianGrid vertical={false} stroke="var(--border)" />
          <XAxis
            dataKey="t"
            tickLine={false}
            axisLine={false}
            minTickGap={12}
            tickFormatter={(t: string) => formatBucket(t, report.bucket)}
            tick={chartTick}
          />
          <YAxis
            tickLine={false}
            axisLine={false}
            width={56}
            tickFormatter={(v: number) => formatMetric(metric, v)}
            tick={chartTick}
          />
          <Tooltip
            cursor={{ fill: 'var(--muted)', opacity: 0.6 }}
            labelFormatter={(t) => formatBucket(String(t), report.bucket)}
            formatter={(v) => formatMetric(metric, Number(v))}
            contentStyle={chartTooltipStyle}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {series.map((s) => (
            <Bar key={s.id} dataKey={s.id} name={s.label} stackId="r" fill={s.color} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  )
}
