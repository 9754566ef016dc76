import { render } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { App } from '@/app'
import { createQueryClient } from '@/lib/query-client'

/** Renders the whole app at `path` with a fresh cache, as a user opening that URL would see it. */
export function renderApp(path = '/') {
  window.history.replaceState(null, '', path)
  const queryClient = createQueryClient()
  queryClient.setDefaultOptions({
    queries: { retry: false, refetchInterval: false, refetchOnWindowFocus: false },
    mutations: { retry: false },
  })
  const user = userEvent.setup()
  return { user, queryClient, ...render(<App queryClient={queryClient} />) }
}
