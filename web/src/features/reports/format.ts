import type { LimitType, LimitWindow, ReportBucket } from '@codex-lb/shared'
import { formatCompact, formatUsd } from '@/lib/format'
import type { Metric } from './params'

/** Bucket starts are UTC; they are labelled in UTC so a day is the day the server counted. */
const day = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' })
const month = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
})

export function formatBucket(iso: string, bucket: ReportBucket): string {
  const date = new Date(iso)
  if (bucket === 'month') return month.format(date)
  return bucket === 'week' ? `wk ${day.format(date)}` : day.format(date)
}

export function formatMetric(metric: Metric, value: number): string {
  return metric === 'cost' ? formatUsd(value) : formatCompact(value)
}

/** Cost limits count micro-dollars (1 USD = 1,000,000), as the API keys do. */
export function formatLimitValue(type: LimitType, value: number): string {
  return type === 'cost_usd' ? formatUsd(value / 1_000_000) : formatCompact(value)
}

const TYPE: Record<LimitType, string> = {
  total_tokens: 'tokens',
  input_tokens: 'input tokens',
  output_tokens: 'output tokens',
  cost_usd: 'cost',
}
const WINDOW: Record<LimitWindow, string> = { daily: 'Daily', weekly: 'Weekly', monthly: 'Monthly' }

export function limitName(limit: {
  limitType: LimitType
  limitWindow: LimitWindow
  modelFilter: string | null
}): string {
  const base = `${WINDOW[limit.limitWindow]} ${TYPE[limit.limitType]}`
  return limit.modelFilter ? `${base} · ${limit.modelFilter}` : base
}
