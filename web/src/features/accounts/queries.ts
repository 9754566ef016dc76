import { queryOptions } from '@tanstack/react-query'
import { LIVE_REFRESH } from '@/lib/live-refresh'
import { fetchAccountTrends, fetchOauthStatus, listAccounts } from './api'

export const accountKeys = {
  all: ['accounts'] as const,
  list: () => [...accountKeys.all, 'list'] as const,
  oauthStatus: (flowId: string | null) => [...accountKeys.all, 'oauth-status', flowId] as const,
  trends: (accountId: string) => [...accountKeys.all, 'trends', accountId] as const,
}

export const accountsQuery = () =>
  queryOptions({
    queryKey: accountKeys.list(),
    queryFn: listAccounts,
    select: (data) => data.accounts,
    // Usage and status change as Codex runs; a glance at the page should be current.
    ...LIVE_REFRESH,
  })

export const oauthStatusQuery = (flowId: string | null, intervalMs: number) =>
  queryOptions({
    queryKey: accountKeys.oauthStatus(flowId),
    queryFn: () => fetchOauthStatus(flowId),
    refetchInterval: intervalMs,
    staleTime: 0,
    gcTime: 0,
  })

export const accountTrendsQuery = (accountId: string) =>
  queryOptions({
    queryKey: accountKeys.trends(accountId),
    queryFn: ({ signal }) => fetchAccountTrends(accountId, signal),
    // Hourly buckets: refreshing more often than every few minutes shows nothing new.
    staleTime: 5 * 60_000,
  })
