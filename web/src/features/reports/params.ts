import {
  REPORT_BUCKETS,
  REPORT_GROUPS,
  type ReportBucket,
  type ReportGroupBy,
  type ReportSums,
} from '@codex-lb/shared'

const DAY_MS = 86_400_000

export const RANGE_PRESETS = [
  { value: '7d', label: 'Last 7 days', days: 7 },
  { value: '30d', label: 'Last 30 days', days: 30 },
  { value: '90d', label: 'Last 90 days', days: 90 },
  { value: '365d', label: 'Last 365 days', days: 365 },
  { value: 'custom', label: 'Custom range', days: 0 },
] as const
export type RangePreset = (typeof RANGE_PRESETS)[number]['value']

export const METRICS = [
  { value: 'requests', label: 'Requests' },
  { value: 'tokens', label: 'Tokens' },
  { value: 'cost', label: 'Cost' },
] as const
export type Metric = (typeof METRICS)[number]['value']

export const BUCKET_LABELS: Record<ReportBucket, string> = {
  day: 'Day',
  week: 'Week',
  month: 'Month',
}
export const GROUP_LABELS: Record<ReportGroupBy, string> = {
  apiKey: 'API key',
  account: 'Account',
  model: 'Model',
}

/** The page's state, kept in the URL so a report can be bookmarked and shared. */
export interface ReportParams {
  range: RangePreset
  /** UTC dates (YYYY-MM-DD), used when `range` is custom. */
  since: string
  until: string
  bucket: ReportBucket
  groupBy: ReportGroupBy
  metric: Metric
  /** The API key whose limits are drawn; '' for none. */
  key: string
}

export const DEFAULT_PARAMS: ReportParams = {
  range: '30d',
  since: '',
  until: '',
  bucket: 'day',
  groupBy: 'model',
  metric: 'requests',
  key: '',
}

const oneOf = <T extends string>(values: readonly T[], value: string | null, fallback: T): T =>
  values.includes(value as T) ? (value as T) : fallback

const DATE = /^\d{4}-\d{2}-\d{2}$/
const date = (value: string | null) => (value !== null && DATE.test(value) ? value : '')

export function parseParams(search: string): ReportParams {
  const p = new URLSearchParams(search)
  return {
    range: oneOf(
      RANGE_PRESETS.map((r) => r.value),
      p.get('range'),
      DEFAULT_PARAMS.range,
    ),
    since: date(p.get('since')),
    until: date(p.get('until')),
    bucket: oneOf(REPORT_BUCKETS, p.get('bucket'), DEFAULT_PARAMS.bucket),
    groupBy: oneOf(REPORT_GROUPS, p.get('groupBy'), DEFAULT_PARAMS.groupBy),
    metric: oneOf(
      METRICS.map((m) => m.value),
      p.get('metric'),
      DEFAULT_PARAMS.metric,
    ),
    key: p.get('key') ?? '',
  }
}

export function serializeParams(params: ReportParams): string {
  const p = new URLSearchParams()
  for (const name of ['range', 'bucket', 'groupBy', 'metric'] as const) {
    if (params[name] !== DEFAULT_PARAMS[name]) p.set(name, params[name])
  }
  if (params.range === 'custom') {
    if (params.since) p.set('since', params.since)
    if (params.until) p.set('until', params.until)
  }
  if (params.key) p.set('key', params.key)
  return p.toString()
}

export const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/**
 * The range as the API reads it: UTC dates, so the query (and its cache key) stays the same all
 * day. A preset of n days ends today (until omitted: now) and starts n-1 days before.
 */
export function rangeQuery(params: ReportParams, now = Date.now()) {
  if (params.range === 'custom') {
    return { since: params.since || undefined, until: params.until || undefined }
  }
  const days = RANGE_PRESETS.find((r) => r.value === params.range)?.days ?? 30
  return { since: utcDate(now - (days - 1) * DAY_MS), until: undefined }
}

/** The report's query: range, bucket and grouping (the metric is drawn, not asked for). */
export function reportQueryParams(params: ReportParams, now = Date.now()) {
  return { ...rangeQuery(params, now), bucket: params.bucket, groupBy: params.groupBy }
}

/** The number a metric draws: tokens are input + output (cached and reasoning are inside them). */
export function metricValue(metric: Metric, sums: ReportSums): number {
  if (metric === 'requests') return sums.requests
  if (metric === 'tokens') return sums.inputTokens + sums.outputTokens
  return sums.costUsd
}
