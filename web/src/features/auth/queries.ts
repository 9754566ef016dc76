import { queryOptions } from '@tanstack/react-query'
import { fetchSession } from './api'

export const authKeys = {
  all: ['auth'] as const,
  session: () => [...authKeys.all, 'session'] as const,
}

export const sessionQuery = () =>
  queryOptions({
    queryKey: authKeys.session(),
    queryFn: fetchSession,
    staleTime: 60_000,
    retry: false,
  })
