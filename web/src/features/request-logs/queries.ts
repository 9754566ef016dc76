import { keepPreviousData, queryOptions } from '@tanstack/react-query'
import {
  fetchRecentRequests,
  fetchRequestLogDetail,
  fetchRequestLogOptions,
  fetchRequestLogs,
} from './api'
import type { LogFilters } from './filters'

type LogRange = Pick<LogFilters, 'timeframe' | 'since' | 'until'>

export const requestLogKeys = {
  all: ['request-logs'] as const,
  list: (filters: LogFilters) => [...requestLogKeys.all, 'list', filters] as const,
  options: (range: LogRange) => [...requestLogKeys.all, 'options', range] as const,
  recent: (limit: number) => [...requestLogKeys.all, 'recent', limit] as const,
  detail: (id: number) => [...requestLogKeys.all, 'detail', id] as const,
}

export const requestLogsQuery = (filters: LogFilters) =>
  queryOptions({
    queryKey: requestLogKeys.list(filters),
    queryFn: ({ signal }) => fetchRequestLogs(filters, signal),
    placeholderData: keepPreviousData,
    refetchInterval: 15_000,
  })

/** A preset range moves with the clock; its facets are keyed by the preset, not the instant. */
export const requestLogOptionsQuery = (range: LogRange) =>
  queryOptions({
    queryKey: requestLogKeys.options(range),
    queryFn: ({ signal }) => fetchRequestLogOptions(range, signal),
    staleTime: 60_000,
  })

export const recentRequestsQuery = (limit: number) =>
  queryOptions({
    queryKey: requestLogKeys.recent(limit),
    queryFn: ({ signal }) => fetchRecentRequests(limit, undefined, signal),
    refetchInterval: 15_000,
  })

/** Rows never change once written, but a request still in flight may add attempts to its chain. */
export const requestLogDetailQuery = (id: number) =>
  queryOptions({
    queryKey: requestLogKeys.detail(id),
    queryFn: ({ signal }) => fetchRequestLogDetail(id, signal),
    staleTime: 10_000,
  })
