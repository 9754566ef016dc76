import { keyUsageHistorySchema, reportSchema } from '@codex-lb/shared'
import { apiRequest, buildUrl } from '@/lib/api-client'

export interface ReportQuery {
  since: string | undefined
  until: string | undefined
  bucket: string
  groupBy: string
}

export function fetchReport(query: ReportQuery, signal?: AbortSignal) {
  return apiRequest('/api/reports', reportSchema, {
    query: { ...query },
    ...(signal ? { signal } : {}),
  })
}

/** The CSV of the same report: a plain link, so the browser downloads it with the session cookie. */
export function reportExportUrl(query: ReportQuery): string {
  return buildUrl('/api/reports/export', { ...query })
}

export function fetchKeyUsageHistory(
  apiKeyId: string,
  range: Pick<ReportQuery, 'since' | 'until'>,
  signal?: AbortSignal,
) {
  return apiRequest(
    `/api/api-keys/${encodeURIComponent(apiKeyId)}/usage-history`,
    keyUsageHistorySchema,
    { query: { ...range }, ...(signal ? { signal } : {}) },
  )
}
