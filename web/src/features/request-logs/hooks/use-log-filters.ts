import { useCallback, useMemo } from 'react'
import { useLocation, useSearch } from 'wouter'
import { parseFilters, serializeFilters, type LogFilters } from '../filters'

/**
 * The filters are the URL's query string: a link shares the view, and every change is a history
 * entry, so Back returns to the previous filters.
 */
export function useLogFilters(): [LogFilters, (patch: Partial<LogFilters>) => void] {
  const search = useSearch()
  const [location, navigate] = useLocation()
  const filters = useMemo(() => parseFilters(search), [search])
  const update = useCallback(
    (patch: Partial<LogFilters>) => {
      // Any change other than paging starts again from the first page.
      const qs = serializeFilters({ ...filters, offset: 0, ...patch })
      if (qs === serializeFilters(filters)) return
      navigate(qs ? `${location}?${qs}` : location)
    },
    [filters, location, navigate],
  )
  return [filters, update]
}
