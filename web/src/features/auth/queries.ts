import { queryOptions, useQueryClient } from '@tanstack/react-query'
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

/** After a change to how the dashboard signs in: the session and the settings that show it. */
export function useRefreshAuthState() {
  const queryClient = useQueryClient()
  return () => {
    void queryClient.invalidateQueries({ queryKey: authKeys.session() })
    void queryClient.invalidateQueries({ queryKey: ['settings'] })
  }
}
