import { auditOptionsSchema, auditPageSchema } from '@codex-lb/shared'
import { apiRequest } from '@/lib/api-client'
import { rangeOf, type AuditFilters } from './filters'

export function fetchAuditLog(filters: AuditFilters, signal?: AbortSignal) {
  return apiRequest('/api/audit', auditPageSchema, {
    query: {
      action: filters.actions,
      outcome: filters.outcome === 'all' ? undefined : filters.outcome,
      search: filters.search.trim(),
      limit: filters.limit,
      offset: filters.offset,
      ...rangeOf(filters),
    },
    ...(signal ? { signal } : {}),
  })
}

/** The actions that occur in the log (what the action filter offers). */
export function fetchAuditOptions(signal?: AbortSignal) {
  return apiRequest('/api/audit/options', auditOptionsSchema, signal ? { signal } : {})
}
