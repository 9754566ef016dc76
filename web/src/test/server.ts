import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { defaultSettings, openSession } from './factories'

export const emptyLogs = { requests: [], total: 0, hasMore: false }

/** Baseline: an open dashboard with nothing in it. Tests override what they exercise. */
export const defaultHandlers = [
  http.get('*/api/dashboard-auth/session', () => HttpResponse.json(openSession)),
  http.get('*/api/settings', () => HttpResponse.json(defaultSettings)),
  http.get('*/api/accounts', () => HttpResponse.json({ accounts: [] })),
  http.get('*/api/request-logs', () => HttpResponse.json(emptyLogs)),
  http.get('*/api/request-logs/options', () =>
    HttpResponse.json({ accountIds: [], modelOptions: [], statuses: [] }),
  ),
  http.get('*/api/dashboard/overview', () =>
    HttpResponse.json({ error: { code: 'http_404', message: 'Not Found' } }, { status: 404 }),
  ),
  http.get('*/api/models', () => HttpResponse.json({ models: [] })),
  http.get('*/api/api-keys/', () => HttpResponse.json([])),
  http.get('*/api/overflow-upstreams', () => HttpResponse.json([])),
]

export const server = setupServer(...defaultHandlers)

export function dashboardError(status: number, code: string, message: string) {
  return HttpResponse.json({ error: { code, message } }, { status })
}
