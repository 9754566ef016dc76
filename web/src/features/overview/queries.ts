import { queryOptions } from '@tanstack/react-query'
import { fetchRecentRequests } from '@/features/request-logs'
import { LIVE_REFRESH } from '@/lib/live-refresh'
import { fetchOverview } from './api'

export const overviewKeys = {
  all: ['overview'] as const,
  summary: () => [...overviewKeys.all, 'summary'] as const,
  fallbackLogs: () => [...overviewKeys.all, 'fallback-logs'] as const,
}

export const overviewQuery = () =>
  queryOptions({
    queryKey: overviewKeys.summary(),
    queryFn: ({ signal }) => fetchOverview(signal),
    ...LIVE_REFRESH,
  })

const WEEK_MS = 7 * 86_400_000
/** The request-log API pages at most 1000 rows; the fallback trends are built from that sample. */
export const FALLBACK_SAMPLE = 1000

export const fallbackLogsQuery = () =>
  queryOptions({
    queryKey: overviewKeys.fallbackLogs(),
    queryFn: ({ signal }) =>
      fetchRecentRequests(FALLBACK_SAMPLE, new Date(Date.now() - WEEK_MS).toISOString(), signal),
    refetchInterval: 60_000,
  })
