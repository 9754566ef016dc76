import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DASHBOARD_CSP, HSTS, PERMISSIONS_POLICY } from '../../src/http/security-headers.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'
import { startTestApp, type TestApp } from '../support/test-app.js'

/** The browser policy every dashboard response carries (HTML, static files, /api, their errors). */
const DASHBOARD_HEADERS = {
  'content-security-policy': DASHBOARD_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': PERMISSIONS_POLICY,
}
const BROWSER_ONLY = Object.keys(DASHBOARD_HEADERS).filter((h) => h !== 'x-content-type-options')

function expectDashboardHeaders(res: Response, what: string) {
  for (const [name, value] of Object.entries(DASHBOARD_HEADERS)) {
    expect(res.headers.get(name), `${what}: ${name}`).toBe(value)
  }
}

function expectProgramHeaders(res: Response, what: string) {
  expect(res.headers.get('x-content-type-options'), what).toBe('nosniff')
  for (const name of [...BROWSER_ONLY, 'strict-transport-security']) {
    expect(res.headers.get(name), `${what}: ${name}`).toBeNull()
  }
}

/** A stand-in for web/dist: the headers come from the server, not from what the build contains. */
function fakeDist(): string {
  const dir = mkdtempSync(join(tmpdir(), 'codex-lb-dist-'))
  mkdirSync(join(dir, 'assets'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html><script src="/assets/app.js"></script>')
  writeFileSync(join(dir, 'assets/app.js'), 'console.log("dashboard")\n')
  return dir
}

describe('security headers', () => {
  const dist = fakeDist()
  let h: ProxyHarness
  beforeAll(async () => {
    h = await startProxyHarness({ env: { STATIC_DIR: dist } })
    await h.addAccount({ email: 'headers@example.com' })
  })
  afterAll(async () => {
    await h.close()
    rmSync(dist, { recursive: true, force: true })
  })

  it('the dashboard HTML, a client route, a static asset and /api answers carry the browser policy', async () => {
    const url = h.t.url
    const cases: Array<[string, number]> = [
      ['/', 200],
      ['/accounts/some-id', 200],
      ['/assets/app.js', 200],
      ['/api/dashboard-auth/session', 200],
      ['/api/settings', 200],
      ['/api/no-such-route', 404],
      ['/assets/missing.js', 404],
    ]
    for (const [path, status] of cases) {
      const res = await fetch(`${url}${path}`)
      expect(res.status, path).toBe(status)
      expectDashboardHeaders(res, path)
      // Served over plain http by a server that trusts no proxy: no HSTS.
      expect(res.headers.get('strict-transport-security'), path).toBeNull()
    }
    const html = await fetch(`${url}/`)
    expect(html.headers.get('content-type')).toMatch(/^text\/html/)
  })

  it('a refusal (the cross-site check, 403) carries them too', async () => {
    const res = await fetch(`${h.t.url}/api/settings`, {
      method: 'PUT',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: '{}',
    })
    expect(res.status).toBe(403)
    expectDashboardHeaders(res, 'refused PUT')
  })

  it('proxy routes, health and metrics get nosniff only, a streamed response included', async () => {
    expectProgramHeaders(await fetch(`${h.t.url}/v1/models`), '/v1/models')
    expectProgramHeaders(await fetch(`${h.t.url}/health`), '/health')
    expectProgramHeaders(await fetch(`${h.t.url}/v1/nothing-here`), '/v1 404')
    const stream = await fetch(`${h.t.url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-5.5', input: 'hi', stream: true }),
    })
    expect(stream.status).toBe(200)
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/)
    expectProgramHeaders(stream, 'SSE stream')
    await stream.text()
  })
})

describe('HSTS', () => {
  const forwarded = { 'x-forwarded-proto': 'https' }

  it('only when a trusted proxy says the request came over https', async () => {
    const t: TestApp = await startTestApp({ env: { TRUSTED_PROXIES: '127.0.0.1' } })
    try {
      const viaTls = await fetch(`${t.url}/api/dashboard-auth/session`, { headers: forwarded })
      expect(viaTls.headers.get('strict-transport-security')).toBe(HSTS)
      const plain = await fetch(`${t.url}/api/dashboard-auth/session`)
      expect(plain.headers.get('strict-transport-security')).toBeNull()
      // The proxy routes stay lean even over TLS.
      const proxied = await fetch(`${t.url}/v1/models`, { headers: forwarded })
      expect(proxied.headers.get('strict-transport-security')).toBeNull()
    } finally {
      await t.close()
    }
  })

  it('never from a forwarded header sent by a peer that is not a trusted proxy', async () => {
    const t: TestApp = await startTestApp()
    try {
      const res = await fetch(`${t.url}/api/dashboard-auth/session`, { headers: forwarded })
      expect(res.headers.get('strict-transport-security')).toBeNull()
    } finally {
      await t.close()
    }
  })
})
