/**
 * The look every dashboard chart shares (recharts props as plain objects, so this module does not
 * pull recharts into the first load): theme-coloured tooltip and ticks, the 0–100 % axis, and the
 * two quota-window lines.
 */
export const chartTooltipStyle = {
  background: 'var(--popover)',
  border: '1px solid var(--border)',
  borderRadius: 8,
  fontSize: 12,
  color: 'var(--popover-foreground)',
}

export const chartTick = { fill: 'var(--muted-foreground)', fontSize: 11 }

export const percentAxis = {
  domain: [0, 100] as [number, number],
  ticks: [0, 50, 100],
  tickLine: false,
  axisLine: false,
  tickFormatter: (v: number) => `${v}%`,
  tick: chartTick,
}

const windowLine = {
  type: 'monotone',
  strokeWidth: 1.75,
  dot: false,
  isAnimationActive: false,
} as const

/** Props of the 5-hour (primary) and weekly (secondary) window lines. */
export const windowLines = [
  { ...windowLine, dataKey: 'primary', name: '5 h window', stroke: 'var(--chart-1)' },
  { ...windowLine, dataKey: 'secondary', name: 'Weekly', stroke: 'var(--chart-2)' },
] as const
