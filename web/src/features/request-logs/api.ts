import { requestLogOptionsSchema, requestLogsPageSchema } from '@codex-lb/shared'
import { apiRequest } from '@/lib/api-client'
import { sinceFor, type LogFilters } from './filters'

export function fetchRequestLogs(filters: LogFilters, signal?: AbortSignal) {
  return apiRequest('/api/request-logs', requestLogsPageSchema, {
    query: {
      limit: filters.limit,
      offset: filters.offset,
      search: filters.search.trim(),
      accountId: filters.accountIds,
      status: filters.statuses,
      modelOption: filters.modelOptions,
      since: sinceFor(filters.timeframe),
    },
    ...(signal ? { signal } : {}),
  })
}

/** Facets ignore the status filter server-side, so every status stays selectable. */
export function fetchRequestLogOptions(
  filters: Pick<LogFilters, 'timeframe'>,
  signal?: AbortSignal,
) {
  return apiRequest('/api/request-logs/options', requestLogOptionsSchema, {
    query: { since: sinceFor(filters.timeframe) },
    ...(signal ? { signal } : {}),
  })
}

/** A short window of recent rows for the overview (and its fallback aggregates). */
export function fetchRecentRequests(limit: number, since?: string, signal?: AbortSignal) {
  return apiRequest('/api/request-logs', requestLogsPageSchema, {
    query: { limit, offset: 0, since },
    ...(signal ? { signal } : {}),
  })
}
