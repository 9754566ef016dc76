export const TIMEFRAMES = [
  { value: '1h', label: 'Last hour', ms: 3_600_000 },
  { value: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { value: '30d', label: 'Last 30 days', ms: 30 * 86_400_000 },
  { value: 'all', label: 'All time', ms: 0 },
] as const
export type Timeframe = (typeof TIMEFRAMES)[number]['value']

export const PAGE_SIZES = [25, 50, 100] as const

export interface LogFilters {
  search: string
  timeframe: Timeframe
  accountIds: string[]
  statuses: string[]
  /** `model:::effort` pairs, the API's modelOption format. */
  modelOptions: string[]
  limit: number
  offset: number
}

export const DEFAULT_FILTERS: LogFilters = {
  search: '',
  timeframe: '24h',
  accountIds: [],
  statuses: [],
  modelOptions: [],
  limit: 25,
  offset: 0,
}

/** Filters live in the URL so a view can be bookmarked, shared and survives a reload. */
export function parseFilters(search: string): LogFilters {
  const params = new URLSearchParams(search)
  const timeframe = params.get('timeframe')
  const limit = Number(params.get('limit'))
  const offset = Number(params.get('offset'))
  return {
    search: params.get('search') ?? '',
    timeframe: TIMEFRAMES.some((t) => t.value === timeframe)
      ? (timeframe as Timeframe)
      : DEFAULT_FILTERS.timeframe,
    accountIds: params.getAll('accountId'),
    statuses: params.getAll('status'),
    modelOptions: params.getAll('modelOption'),
    limit: (PAGE_SIZES as readonly number[]).includes(limit) ? limit : DEFAULT_FILTERS.limit,
    offset: Number.isInteger(offset) && offset > 0 ? offset : 0,
  }
}

export function serializeFilters(filters: LogFilters): string {
  const params = new URLSearchParams()
  if (filters.search) params.set('search', filters.search)
  if (filters.timeframe !== DEFAULT_FILTERS.timeframe) params.set('timeframe', filters.timeframe)
  for (const id of filters.accountIds) params.append('accountId', id)
  for (const s of filters.statuses) params.append('status', s)
  for (const m of filters.modelOptions) params.append('modelOption', m)
  if (filters.limit !== DEFAULT_FILTERS.limit) params.set('limit', String(filters.limit))
  if (filters.offset) params.set('offset', String(filters.offset))
  return params.toString()
}

export function sinceFor(timeframe: Timeframe, now = Date.now()): string | undefined {
  const span = TIMEFRAMES.find((t) => t.value === timeframe)?.ms ?? 0
  return span ? new Date(now - span).toISOString() : undefined
}

export function modelOptionValue(model: string, effort: string | null | undefined): string {
  return `${model}:::${effort ?? ''}`
}

export function modelOptionLabel(value: string): string {
  const [model, effort] = value.split(':::')
  return effort ? `${model} · ${effort}` : (model ?? value)
}
