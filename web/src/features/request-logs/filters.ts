export const TIMEFRAMES = [
  { value: '1h', label: 'Last hour', ms: 3_600_000 },
  { value: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { value: '30d', label: 'Last 30 days', ms: 30 * 86_400_000 },
  { value: 'all', label: 'All time', ms: 0 },
] as const
/** A preset, or `custom`: the range is `since`/`until` as given. */
export type Timeframe = (typeof TIMEFRAMES)[number]['value'] | 'custom'

export const PAGE_SIZES = [25, 50, 100] as const

export interface LogFilters {
  search: string
  timeframe: Timeframe
  /** UTC ISO instants, set only for a custom range; either end may be open. */
  since: string | null
  until: string | null
  accountIds: string[]
  statuses: string[]
  /** `model:::effort` pairs, the API's modelOption format. */
  modelOptions: string[]
  /** API key ids; REQUEST_LOG_NO_API_KEY stands for requests sent without a key. */
  apiKeyIds: string[]
  limit: number
  offset: number
}

export const DEFAULT_FILTERS: LogFilters = {
  search: '',
  timeframe: '24h',
  since: null,
  until: null,
  accountIds: [],
  statuses: [],
  modelOptions: [],
  apiKeyIds: [],
  limit: 25,
  offset: 0,
}

/** A parseable instant as UTC ISO, else null (a hand-edited link should not break the page). */
function isoOrNull(value: string | null): string | null {
  if (!value) return null
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? null : new Date(ms).toISOString()
}

/**
 * Filters live in the URL so a view can be bookmarked, shared and survives a reload. A custom range
 * is written as `since`/`until` (UTC, so the link means the same in every time zone).
 */
export function parseFilters(search: string): LogFilters {
  const params = new URLSearchParams(search)
  const timeframe = params.get('timeframe')
  const since = isoOrNull(params.get('since'))
  const until = isoOrNull(params.get('until'))
  const custom = since !== null || until !== null
  const limit = Number(params.get('limit'))
  const offset = Number(params.get('offset'))
  return {
    search: params.get('search') ?? '',
    timeframe: custom
      ? 'custom'
      : TIMEFRAMES.some((t) => t.value === timeframe)
        ? (timeframe as Timeframe)
        : DEFAULT_FILTERS.timeframe,
    since,
    until,
    accountIds: params.getAll('accountId'),
    statuses: params.getAll('status'),
    modelOptions: params.getAll('modelOption'),
    apiKeyIds: params.getAll('apiKeyId'),
    limit: (PAGE_SIZES as readonly number[]).includes(limit) ? limit : DEFAULT_FILTERS.limit,
    offset: Number.isInteger(offset) && offset > 0 ? offset : 0,
  }
}

export function serializeFilters(filters: LogFilters): string {
  const params = new URLSearchParams()
  if (filters.search) params.set('search', filters.search)
  if (filters.timeframe === 'custom') {
    if (filters.since) params.set('since', filters.since)
    if (filters.until) params.set('until', filters.until)
  } else if (filters.timeframe !== DEFAULT_FILTERS.timeframe) {
    params.set('timeframe', filters.timeframe)
  }
  for (const id of filters.accountIds) params.append('accountId', id)
  for (const s of filters.statuses) params.append('status', s)
  for (const m of filters.modelOptions) params.append('modelOption', m)
  for (const k of filters.apiKeyIds) params.append('apiKeyId', k)
  if (filters.limit !== DEFAULT_FILTERS.limit) params.set('limit', String(filters.limit))
  if (filters.offset) params.set('offset', String(filters.offset))
  return params.toString()
}

/** Any filter that narrows the rows (paging aside). */
export function isFiltered(filters: LogFilters): boolean {
  return serializeFilters({ ...filters, limit: DEFAULT_FILTERS.limit, offset: 0 }) !== ''
}

export function sinceFor(timeframe: Timeframe, now = Date.now()): string | undefined {
  const span = TIMEFRAMES.find((t) => t.value === timeframe)?.ms ?? 0
  return span ? new Date(now - span).toISOString() : undefined
}

/** The range the API is asked for: a preset counts back from `now`, a custom range is as given. */
export function rangeFor(
  filters: Pick<LogFilters, 'timeframe' | 'since' | 'until'>,
  now = Date.now(),
): { since: string | undefined; until: string | undefined } {
  if (filters.timeframe !== 'custom')
    return { since: sinceFor(filters.timeframe, now), until: undefined }
  return { since: filters.since ?? undefined, until: filters.until ?? undefined }
}

export function modelOptionValue(model: string, effort: string | null | undefined): string {
  return `${model}:::${effort ?? ''}`
}

export function modelOptionLabel(value: string): string {
  const [model, effort] = value.split(':::')
  return effort ? `${model} · ${effort}` : (model ?? value)
}
