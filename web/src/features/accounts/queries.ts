import { queryOptions } from '@tanstack/react-query'
import { fetchOauthStatus, listAccounts } from './api'

export const accountKeys = {
  all: ['accounts'] as const,
  list: () => [...accountKeys.all, 'list'] as const,
  oauthStatus: () => [...accountKeys.all, 'oauth-status'] as const,
}

export const accountsQuery = () =>
  queryOptions({
    queryKey: accountKeys.list(),
    queryFn: listAccounts,
    select: (data) => data.accounts,
    // Usage and status change as Codex runs; a glance at the page should be current.
    refetchInterval: 30_000,
  })

export const oauthStatusQuery = (intervalMs: number) =>
  queryOptions({
    queryKey: accountKeys.oauthStatus(),
    queryFn: fetchOauthStatus,
    refetchInterval: intervalMs,
    staleTime: 0,
    gcTime: 0,
  })
