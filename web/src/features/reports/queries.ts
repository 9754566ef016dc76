import { keepPreviousData, queryOptions } from '@tanstack/react-query'
import { fetchKeyUsageHistory, fetchReport, type ReportQuery } from './api'

export const reportKeys = {
  all: ['reports'] as const,
  report: (query: ReportQuery) => [...reportKeys.all, 'report', query] as const,
  keyUsage: (apiKeyId: string, range: Pick<ReportQuery, 'since' | 'until'>) =>
    [...reportKeys.all, 'key-usage', apiKeyId, range] as const,
}

export const reportQuery = (query: ReportQuery) =>
  queryOptions({
    queryKey: reportKeys.report(query),
    queryFn: ({ signal }) => fetchReport(query, signal),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  })

export const keyUsageQuery = (apiKeyId: string, range: Pick<ReportQuery, 'since' | 'until'>) =>
  queryOptions({
    queryKey: reportKeys.keyUsage(apiKeyId, range),
    queryFn: ({ signal }) => fetchKeyUsageHistory(apiKeyId, range, signal),
    enabled: apiKeyId !== '',
    staleTime: 60_000,
  })
