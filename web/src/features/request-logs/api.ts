import { requestLogOptionsSchema, requestLogsPageSchema } from '@codex-lb/shared'
import { apiRequest, buildUrl } from '@/lib/api-client'
import { sinceFor, type LogFilters } from './filters'

/** The filters as the API reads them; the list and the CSV export take the same ones. */
function filterQuery(filters: LogFilters, now = Date.now()) {
  return {
    search: filters.search.trim(),
    accountId: filters.accountIds,
    status: filters.statuses,
    modelOption: filters.modelOptions,
    since: sinceFor(filters.timeframe, now),
  }
}

export function fetchRequestLogs(filters: LogFilters, signal?: AbortSignal) {
  return apiRequest('/api/request-logs', requestLogsPageSchema, {
    query: { limit: filters.limit, offset: filters.offset, ...filterQuery(filters) },
    ...(signal ? { signal } : {}),
  })
}

/** Where the CSV of every row matching the filters downloads from (not just the page shown). */
export function requestLogsExportUrl(filters: LogFilters, now = Date.now()): string {
  return buildUrl('/api/request-logs/export', filterQuery(filters, now))
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
