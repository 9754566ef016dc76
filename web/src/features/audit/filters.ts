export const AUDIT_TIMEFRAMES = [
  { value: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { value: '30d', label: 'Last 30 days', ms: 30 * 86_400_000 },
  { value: '365d', label: 'Last year', ms: 365 * 86_400_000 },
  { value: 'all', label: 'All time', ms: null },
  { value: 'custom', label: 'Custom range', ms: null },
] as const
export type AuditTimeframe = (typeof AUDIT_TIMEFRAMES)[number]['value']

export const AUDIT_PAGE_SIZES = [25, 50, 100] as const

export interface AuditFilters {
  actions: string[]
  outcome: 'all' | 'success' | 'failure'
  search: string
  timeframe: AuditTimeframe
  /** A custom range's ends as UTC ISO instants (null: open). */
  since: string | null
  until: string | null
  limit: number
  offset: number
}

export const DEFAULT_AUDIT_FILTERS: AuditFilters = {
  actions: [],
  outcome: 'all',
  search: '',
  timeframe: '30d',
  since: null,
  until: null,
  limit: 50,
  offset: 0,
}

/** The range as the API reads it; a preset counts back from now. */
export function rangeOf(
  filters: Pick<AuditFilters, 'timeframe' | 'since' | 'until'>,
  now = Date.now(),
): { since?: string; until?: string } {
  if (filters.timeframe === 'custom') {
    return {
      ...(filters.since ? { since: filters.since } : {}),
      ...(filters.until ? { until: filters.until } : {}),
    }
  }
  const preset = AUDIT_TIMEFRAMES.find((t) => t.value === filters.timeframe)
  return preset?.ms ? { since: new Date(now - preset.ms).toISOString() } : {}
}

export function isFiltered(filters: AuditFilters): boolean {
  return (
    filters.actions.length > 0 ||
    filters.outcome !== 'all' ||
    filters.search.trim() !== '' ||
    filters.timeframe !== 'all'
  )
}
