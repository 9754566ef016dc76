import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DashboardClient } from '../support/dashboard-client.js'
import { registeredRoutes } from '../support/registered-routes.js'
import { startTestApp, type TestApp } from '../support/test-app.js'

// Seed 003 / issue 4: the session guard covers every /api route except /api/dashboard-auth/* (and
// /api/codex/usage, which has its own caller check), whatever module registered it.
describe('dashboard session guard coverage', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp()
    const setup = await new DashboardClient(t.url).post('/api/dashboard-auth/password/setup', {
      password: 'guard coverage',
    })
    expect(setup.status).toBe(200)
  })
  afterAll(async () => t.close())

  it('every guarded route refuses a request without a session with 401, before its body', async () => {
    const guarded = registeredRoutes(t.app).filter(
      ([method, path]) =>
        method !== 'HEAD' &&
        path.startsWith('/api/') &&
        !path.startsWith('/api/dashboard-auth/') &&
        !path.startsWith('/api/codex/'),
    )
    // The parse found the dashboard's modules, not just a few routes.
    for (const expected of [
      'POST /api/api-keys/',
      'PATCH /api/api-keys/:id',
      'PUT /api/settings',
      'POST /api/accounts/import',
      'POST /api/accounts/:id/check',
      'POST /api/accounts/:id/refresh',
      'POST /api/oauth/start',
      'GET /api/request-logs',
      'GET /api/models',
      'GET /api/dashboard/overview',
      'GET /api/usage/summary',
    ]) {
      expect(guarded.map(([m, p]) => `${m} ${p}`)).toContain(expected)
    }
    for (const [method, path] of guarded) {
      const res = await fetch(`${t.url}${path.replace(/:[^/]+/g, 'some-id')}`, {
        method,
        ...(method === 'GET' || method === 'DELETE'
          ? {}
          : { headers: { 'content-type': 'application/json' }, body: '{"not": "valid"' }),
      })
      expect(res.status, `${method} ${path}`).toBe(401)
      expect(await res.json(), `${method} ${path}`).toEqual({
        error: { code: 'authentication_required', message: 'Authentication is required' },
      })
    }
  })

  it('the unguarded ones stay reachable without a session', async () => {
    expect((await fetch(`${t.url}/api/dashboard-auth/session`)).status).toBe(200)
    const usage = await fetch(`${t.url}/api/codex/usage`)
    expect(usage.status).toBe(401)
    // The Codex caller check, in the OpenAI envelope: not the dashboard guard.
    expect(((await usage.json()) as { error: { type: string } }).error.type).toBe(
      'authentication_error',
    )
  })
})
