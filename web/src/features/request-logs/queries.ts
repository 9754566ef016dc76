import { keepPreviousData, queryOptions } from '@tanstack/react-query'
import { fetchRecentRequests, fetchRequestLogOptions, fetchRequestLogs } from './api'
import type { LogFilters } from './filters'

export const requestLogKeys = {
  all: ['request-logs'] as const,
  list: (filters: LogFilters) => [...requestLogKeys.all, 'list', filters] as const,
  options: (timeframe: string) => [...requestLogKeys.all, 'options', timeframe] as const,
  recent: (limit: number) => [...requestLogKeys.all, 'recent', limit] as const,
}

export const requestLogsQuery = (filters: LogFilters) =>
  queryOptions({
    queryKey: requestLogKeys.list(filters),
    queryFn: ({ signal }) => fetchRequestLogs(filters, signal),
    placeholderData: keepPreviousData,
    refetchInterval: 15_000,
  })

export const requestLogOptionsQuery = (timeframe: LogFilters['timeframe']) =>
  queryOptions({
    queryKey: requestLogKeys.options(timeframe),
    queryFn: ({ signal }) => fetchRequestLogOptions({ timeframe }, signal),
    staleTime: 60_000,
  })

export const recentRequestsQuery = (limit: number) =>
  queryOptions({
    queryKey: requestLogKeys.recent(limit),
    queryFn: ({ signal }) => fetchRecentRequests(limit, undefined, signal),
    refetchInterval: 15_000,
  })
