import { cleanup, configure } from '@testing-library/react'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { server } from './server'

// Pages are lazy chunks transformed on first use; on a loaded CI machine that can exceed 1 s.
configure({ asyncUtilTimeout: 5000 })

// Unhandled requests fail the test: every call the UI makes must be one the test expects.
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  cleanup()
  server.resetHandlers()
  window.history.replaceState(null, '', '/')
  localStorage.clear()
})
afterAll(() => server.close())
