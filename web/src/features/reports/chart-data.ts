import type { Report } from '@codex-lb/shared'
import { metricValue, type Metric } from './params'

/** Groups drawn on their own; the rest are stacked as one "Other" series. */
export const MAX_SERIES = 8
/** Readable on light and dark backgrounds; the first four are the theme's chart colors. */
export const SERIES_COLORS = [
  'var(--chart-1)',
  'var(--chart-2)',
  'var(--chart-3)',
  'var(--chart-4)',
  'oklch(0.66 0.15 300)',
  'oklch(0.7 0.12 200)',
  'oklch(0.7 0.14 120)',
  'oklch(0.66 0.12 40)',
] as const
export const OTHER_COLOR = 'var(--muted-foreground)'

export interface ChartSeries {
  id: string
  label: string
  color: string
}

export interface ChartData {
  series: ChartSeries[]
  /** One row per bucket: `t` (ISO start) and a value per series id. */
  rows: Array<Record<string, string | number>>
}

/**
 * The report as chart rows: every bucket of the range (empty ones at 0), the groups with the most
 * of the chosen metric drawn on their own and the rest folded into "Other".
 */
export function chartData(report: Report, metric: Metric): ChartData {
  const ranked = [...report.groups].sort((a, b) => metricValue(metric, b) - metricValue(metric, a))
  const shown = ranked.slice(0, MAX_SERIES)
  const idOf = new Map(shown.map((g, i) => [g.key, `g${i}`]))
  const series: ChartSeries[] = shown.map((g, i) => ({
    id: `g${i}`,
    label: g.label,
    color: SERIES_COLORS[i % SERIES_COLORS.length] ?? OTHER_COLOR,
  }))
  if (ranked.length > shown.length) series.push({ id: 'other', label: 'Other', color: OTHER_COLOR })
  const rows = new Map<string, Record<string, string | number>>(
    report.buckets.map((t) => [t, Object.fromEntries([['t', t], ...series.map((s) => [s.id, 0])])]),
  )
  for (const point of report.series) {
    const row = rows.get(point.bucketStart)
    if (row === undefined) continue
    const id = idOf.get(point.key) ?? 'other'
    row[id] = Number(row[id] ?? 0) + metricValue(metric, point)
  }
  return { series, rows: [...rows.values()] }
}
