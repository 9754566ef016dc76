import { request as httpRequest } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DashboardClient } from '../support/dashboard-client.js'
import { registeredRoutes } from '../support/registered-routes.js'
import { startTestApp, type TestApp } from '../support/test-app.js'

const PASSWORD = 'cross-site password'
const EVIL = 'https://evil.example'
const STATE_CHANGING = ['POST', 'PUT', 'PATCH', 'DELETE']
const TABLES = [
  'dashboard_settings',
  'api_keys',
  'api_key_limits',
  'accounts',
  'overflow_upstreams',
  'sticky_sessions',
  'audit_log',
] as const

/** Every state-changing route of the cookie-authenticated /api (not /api/codex: bearer callers). */
function stateChangingRoutes(t: TestApp) {
  return registeredRoutes(t.app).filter(
    ([method, path]) =>
      STATE_CHANGING.includes(method) &&
      path.startsWith('/api/') &&
      !path.startsWith('/api/codex/'),
  )
}

/** Every row of the tables an /api write can touch, to show a refused request changed nothing. */
async function snapshot(t: TestApp): Promise<string> {
  const rows: Record<string, unknown[]> = {}
  for (const table of TABLES) {
    rows[table] = await t.database.db.selectFrom(table).selectAll().execute()
  }
  return JSON.stringify(rows)
}

async function signedIn(t: TestApp): Promise<DashboardClient> {
  const api = new DashboardClient(t.url)
  expect(
    (await api.post('/api/dashboard-auth/password/login', { password: PASSWORD })).status,
  ).toBe(200)
  return api
}

/** A raw request, for a Host header that fetch would not let us choose. */
function rawPost(url: string, headers: Record<string, string>, body: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (text += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

describe('cross-site requests to /api', () => {
  let t: TestApp
  let api: DashboardClient
  beforeAll(async () => {
    t = await startTestApp({ env: { DASHBOARD_ALLOWED_ORIGINS: 'https://admin.example/' } })
    const setup = await new DashboardClient(t.url).post('/api/dashboard-auth/password/setup', {
      password: PASSWORD,
    })
    expect(setup.status).toBe(200)
    api = await signedIn(t)
    expect((await api.post('/api/api-keys/', { name: 'before' })).status).toBe(200)
  })
  afterAll(async () => t.close())

  it('every state-changing route refuses a foreign Origin with 403 csrf_rejected and changes nothing', async () => {
    const routes = stateChangingRoutes(t)
    const names = routes.map(([m, p]) => `${m} ${p}`)
    for (const expected of [
      'POST /api/dashboard-auth/password/login',
      'POST /api/dashboard-auth/password/change',
      'DELETE /api/dashboard-auth/password',
      'POST /api/dashboard-auth/totp/verify',
      'POST /api/dashboard-auth/logout',
      'POST /api/accounts/import',
      'PUT /api/settings',
      'POST /api/api-keys/',
      'DELETE /api/api-keys/:id',
    ]) {
      expect(names).toContain(expected)
    }
    const before = await snapshot(t)
    const sessionCookie = api.cookie
    for (const [method, path] of routes) {
      const url = path.replace(/:[^/]+/g, 'some-id')
      for (const headers of [{ origin: EVIL }, { 'sec-fetch-site': 'cross-site' }]) {
        const res = await api.send(method, url, { password: PASSWORD, name: 'x' }, headers)
        expect(res.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(403)
        expect(res.body, `${method} ${path}`).toEqual({
          error: { code: 'csrf_rejected', message: 'Cross-origin request refused' },
        })
      }
    }
    expect(await snapshot(t)).toBe(before)
    // The refused logout did not end the session either.
    expect(api.cookie).toBe(sessionCookie)
    expect((await api.get('/api/settings')).status).toBe(200)
  })

  it('a multipart import and a text/plain form post (no preflight) are refused before parsing', async () => {
    const before = await snapshot(t)
    const form = new FormData()
    form.append('auth_json', new Blob(['{}'], { type: 'application/json' }), 'auth.json')
    const upload = await fetch(`${t.url}/api/accounts/import`, {
      method: 'POST',
      headers: { origin: EVIL, cookie: `codex_lb_dashboard_session=${api.cookie}` },
      body: form,
    })
    expect(upload.status).toBe(403)
    const login = await fetch(`${t.url}/api/dashboard-auth/password/login`, {
      method: 'POST',
      headers: { origin: 'null', 'content-type': 'text/plain' },
      body: JSON.stringify({ password: PASSWORD }),
    })
    expect(login.status).toBe(403)
    expect(login.headers.getSetCookie()).toEqual([])
    expect(await snapshot(t)).toBe(before)
  })

  it('the same origin, an allow-listed origin and a client without Origin pass', async () => {
    const own = await api.post('/api/api-keys/', { name: 'own' }, { origin: t.url })
    expect(own.status).toBe(200)
    const listed = await api.post(
      '/api/api-keys/',
      { name: 'listed' },
      {
        origin: 'https://admin.example',
      },
    )
    expect(listed.status).toBe(200)
    const curl = await api.post('/api/api-keys/', { name: 'curl' })
    expect(curl.status).toBe(200)
    const sameOrigin = await api.post(
      '/api/api-keys/',
      { name: 'fetch' },
      {
        'sec-fetch-site': 'same-origin',
      },
    )
    expect(sameOrigin.status).toBe(200)
    const sibling = await api.post(
      '/api/api-keys/',
      { name: 'sibling' },
      {
        origin: 'https://admin.example.evil.example',
      },
    )
    expect(sibling.status).toBe(403)
  })

  it("the Vite dev server's proxy keeps the browser's Host, so the dev dashboard passes", async () => {
    const res = await rawPost(
      `${t.url}/api/dashboard-auth/password/login`,
      {
        host: 'localhost:5173',
        origin: 'http://localhost:5173',
        'content-type': 'application/json',
      },
      JSON.stringify({ password: PASSWORD }),
    )
    expect(res.status, res.body).toBe(200)
  })
})

describe('cross-site check behind a reverse proxy', () => {
  const forwarded = {
    origin: 'https://lb.example',
    'x-forwarded-host': 'lb.example',
    'x-forwarded-proto': 'https',
    'content-type': 'application/json',
  }
  const login = (t: TestApp) =>
    rawPost(`${t.url}/api/dashboard-auth/password/login`, forwarded, '{"password":"x"}')

  it('believes X-Forwarded-Host/Proto from a trusted proxy only', async () => {
    const trusting = await startTestApp({ env: { TRUSTED_PROXIES: '127.0.0.1' } })
    const plain = await startTestApp()
    try {
      // Past the check: no password is configured, so the login itself answers 400.
      expect((await login(trusting)).status).toBe(400)
      expect((await login(plain)).status).toBe(403)
    } finally {
      await trusting.close()
      await plain.close()
    }
  })
})
