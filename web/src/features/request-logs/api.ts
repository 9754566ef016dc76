import {
  requestLogDetailSchema,
  requestLogOptionsSchema,
  requestLogsPageSchema,
} from '@codex-lb/shared'
import { apiRequest, buildUrl } from '@/lib/api-client'
import { rangeFor, type LogFilters } from './filters'

/** The filters as the API reads them; the list and the CSV export take the same ones. */
function filterQuery(filters: LogFilters, now = Date.now()) {
  return {
    search: filters.search.trim(),
    accountId: filters.accountIds,
    apiKeyId: filters.apiKeyIds,
    status: filters.statuses,
    modelOption: filters.modelOptions,
    ...rangeFor(filters, now),
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

/**
 * What the filters can offer over the chosen range. Only the range is sent: narrowing the facets by
 * the other selections would hide the values a multi-select should still let the user add.
 */
export function fetchRequestLogOptions(
  filters: Pick<LogFilters, 'timeframe' | 'since' | 'until'>,
  signal?: AbortSignal,
) {
  return apiRequest('/api/request-logs/options', requestLogOptionsSchema, {
    query: rangeFor(filters),
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

/** One attempt with every field, and every attempt sharing its request id (oldest first). */
export function fetchRequestLogDetail(id: number, signal?: AbortSignal) {
  return apiRequest(`/api/request-logs/${id}`, requestLogDetailSchema, signal ? { signal } : {})
}
