import { keepPreviousData, queryOptions } from '@tanstack/react-query'
import { fetchAuditLog, fetchAuditOptions } from './api'
import type { AuditFilters } from './filters'

export const auditKeys = {
  all: ['audit'] as const,
  list: (filters: AuditFilters) => [...auditKeys.all, 'list', filters] as const,
  options: () => [...auditKeys.all, 'options'] as const,
}

export const auditLogQuery = (filters: AuditFilters) =>
  queryOptions({
    queryKey: auditKeys.list(filters),
    queryFn: ({ signal }) => fetchAuditLog(filters, signal),
    placeholderData: keepPreviousData,
  })

export const auditOptionsQuery = () =>
  queryOptions({
    queryKey: auditKeys.options(),
    queryFn: ({ signal }) => fetchAuditOptions(signal),
    staleTime: 60_000,
  })
