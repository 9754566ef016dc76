import type { AccountHistoryRange } from '@codex-lb/shared'
import { keepPreviousData, queryOptions } from '@tanstack/react-query'
import { LIVE_REFRESH } from '@/lib/live-refresh'
import { fetchAccountHistory, fetchAccountTrends, fetchOauthStatus, listAccounts } from './api'

export const accountKeys = {
  all: ['accounts'] as const,
  list: () => [...accountKeys.all, 'list'] as const,
  oauthStatus: (flowId: string | null) => [...accountKeys.all, 'oauth-status', flowId] as const,
  trends: (accountId: string) => [...accountKeys.all, 'trends', accountId] as const,
  history: (accountId: string, range: AccountHistoryRange) =>
    [...accountKeys.all, 'history', accountId, range] as const,
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

export const accountHistoryQuery = (accountId: string, range: AccountHistoryRange) =>
  queryOptions({
    queryKey: accountKeys.history(accountId, range),
    queryFn: ({ signal }) => fetchAccountHistory(accountId, range, signal),
    // Switching the range keeps the last answer on screen until the new one arrives.
    placeholderData: keepPreviousData,
    // Usage is sampled about once a minute; a page left open stays current without hammering.
    staleTime: 30_000,
    refetchInterval: 60_000,
  })
