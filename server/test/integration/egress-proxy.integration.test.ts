import { createServer, type AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DashboardClient } from '../support/dashboard-client.js'
import { dialects } from '../support/dialects.js'
import {
  startHttpConnectProxy,
  startSocks5Proxy,
  type TestEgressProxy,
} from '../support/egress-proxies.js'
import { requestTokenRefresh } from '../../src/modules/accounts/refresh-client.js'
import { startFakeUpstream } from '../support/fake-upstream.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'
import { connectWs, wsUrl } from '../support/ws-client.js'

const DIALECTS = await dialects()

/** SQLite lives in the test app's own temp dir; PostgreSQL gets a fresh schema. */
async function harnessDatabase(dialect: (typeof DIALECTS)[number]) {
  return dialect.name === 'sqlite' ? {} : { database: await dialect.make('') }
}

/** A loopback port nobody listens on (the proxy that died). */
async function deadPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

const SOCKS_SECRET = 'socks-pass-9f2c'
const HTTP_SECRET = 'http-pass-71ab'
const RESPONSES = 'POST /backend-api/codex/responses'

// Issue 13 item 6: an egress proxy per account (or a default) for its upstream, refresh and usage.
describe.each(DIALECTS)('per-account egress proxy ($name)', (dialect) => {
  let h: ProxyHarness
  let api: DashboardClient
  let httpProxy: TestEgressProxy
  let socks: TestEgressProxy
  const proxies: TestEgressProxy[] = []

  beforeEach(async () => {
    httpProxy = await startHttpConnectProxy({ username: 'web', password: HTTP_SECRET })
    socks = await startSocks5Proxy({ username: 'sock', password: SOCKS_SECRET })
    proxies.push(httpProxy, socks)
    h = await startProxyHarness({
      ...(await harnessDatabase(dialect)),
      env: { ROUTING_STRATEGY: 'fill_first' },
    })
    api = new DashboardClient(h.t.url)
  })
  afterEach(async () => {
    await h.close()
    await Promise.all(proxies.splice(0).map((p) => p.close()))
  })

  const path = (id: string) => `/api/accounts/${encodeURIComponent(id)}`
  const setProxy = (id: string, url: unknown) => api.put(`${path(id)}/egress-proxy`, { url })
  const summary = async (id: string) =>
    ((await api.get('/api/accounts')).body.accounts as Array<Record<string, unknown>>).find(
      (a) => a.accountId === id,
    )
  const rawRow = (id: string) =>
    h.t.database.db
      .selectFrom('accounts')
      .select('egress_proxy_encrypted')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  const ask = async () =>
    (await h.sdk().responses.create({ model: 'gpt-5.5', input: 'x' })).output_text

  it('stores the URL encrypted, shows and audits it with the password masked, 422s bad URLs', async () => {
    const a = await h.addAccount({ email: 'a@example.com' })
    const masked = socks.url.replace(SOCKS_SECRET, '***')

    const set = await setProxy(a.id, `  ${socks.url}  `)
    expect(set.status).toBe(200)
    expect(set.body).toEqual({ accountId: a.id, egressProxy: masked })
    expect((await summary(a.id))?.egressProxy).toBe(masked)
    const row = await rawRow(a.id)
    expect(row.egress_proxy_encrypted).toEqual(expect.any(String))
    expect(row.egress_proxy_encrypted).not.toContain(SOCKS_SECRET)
    expect(row.egress_proxy_encrypted).not.toContain('127.0.0.1')
    expect(h.t.cipher.decrypt(row.egress_proxy_encrypted!)).toBe(socks.url)

    const audits = await h.t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'account.updated')
      .execute()
    expect(audits).toHaveLength(1)
    expect(audits[0]).toMatchObject({ outcome: 'success', target_id: a.id })
    expect(audits[0]!.details).toContain('***')
    expect(audits[0]!.details).not.toContain(SOCKS_SECRET)

    for (const url of [
      'ftp://proxy:21',
      'http://proxy',
      'socks5://:1080',
      'not a url',
      42,
      'http://h:1/path',
    ]) {
      const res = await setProxy(a.id, url)
      expect(res.status, `url ${JSON.stringify(url)}`).toBe(422)
      expect(res.body.error.message).toContain('url')
      expect(JSON.stringify(res.body)).not.toContain(SOCKS_SECRET)
    }
    expect((await setProxy('nobody', socks.url)).status).toBe(404)

    const cleared = await setProxy(a.id, null)
    expect(cleared.body).toEqual({ accountId: a.id, egressProxy: null })
    expect((await summary(a.id))?.egressProxy).toBeNull()
    expect((await rawRow(a.id)).egress_proxy_encrypted).toBeNull()
  })

  it("sends each account's requests, token refresh and usage check through its own proxy", async () => {
    const a = await h.addAccount({ email: 'a@example.com' })
    const b = await h.addAccount({ email: 'b@example.com' })
    expect((await setProxy(a.id, httpProxy.url)).status).toBe(200)
    expect((await setProxy(b.id, socks.url)).status).toBe(200)
    await api.patch(path(a.id), { routeOrder: 1 })
    await api.patch(path(b.id), { routeOrder: 2 })
    h.fake.script(a, { kind: 'ok', text: 'served by a' })
    h.fake.script(b, { kind: 'ok', text: 'served by b' })

    // fill_first: A serves while it can, through the HTTP proxy (with its Basic credentials).
    expect(await ask()).toBe('served by a')
    expect(httpProxy.tunnels.length).toBeGreaterThan(0)
    expect(httpProxy.refused).toBe(0)
    expect(httpProxy.requests()).toEqual([RESPONSES])
    expect(socks.requests()).toEqual([])

    // With A paused, B serves through the SOCKS5 proxy (with its username/password).
    await api.post(`${path(a.id)}/pause`)
    expect(await ask()).toBe('served by b')
    expect(socks.tunnels.length).toBeGreaterThan(0)
    expect(socks.refused).toBe(0)
    expect(socks.requests()).toEqual([RESPONSES])
    expect(httpProxy.requests()).toEqual([RESPONSES])

    // A forced token refresh reaches the auth server through the account's proxy.
    const refreshedBefore = h.fake.refreshCount(b)
    expect((await api.post(`${path(b.id)}/refresh`)).body).toMatchObject({ refreshed: true })
    expect(h.fake.refreshCount(b)).toBe(refreshedBefore + 1)
    expect(socks.requests()).toContainEqual(expect.stringMatching(/^POST \S*\/oauth\/token$/))
    expect((await api.post(`${path(a.id)}/refresh`)).body).toMatchObject({ refreshed: true })
    expect(httpProxy.requests()).toContainEqual(expect.stringMatching(/^POST \S*\/oauth\/token$/))

    // So does a usage check.
    h.fake.setUsage(a, { primaryUsedPercent: 20 })
    h.fake.setUsage(b, { primaryUsedPercent: 30 })
    expect((await api.post(`${path(a.id)}/check`)).body).toMatchObject({ ok: true })
    expect((await api.post(`${path(b.id)}/check`)).body).toMatchObject({ ok: true })
    expect(httpProxy.requests()).toContain('GET /backend-api/wham/usage')
    expect(socks.requests()).toContain('GET /backend-api/wham/usage')

    // Nothing of one account went through the other's proxy.
    const onHttp = httpProxy.requests().filter((r) => r === RESPONSES).length
    expect(onHttp).toBe(1)
  })

  it('a dead proxy fails the attempt like a network failure: the request moves to another account', async () => {
    const a = await h.addAccount({ email: 'a@example.com' })
    const b = await h.addAccount({ email: 'b@example.com' })
    expect((await setProxy(a.id, `http://127.0.0.1:${await deadPort()}`)).status).toBe(200)
    await api.patch(path(a.id), { routeOrder: 1 })
    await api.patch(path(b.id), { routeOrder: 2 })
    h.fake.script(b, { kind: 'ok', text: 'served by b' })

    expect(await ask()).toBe('served by b')
    const logs = await h.logs()
    const failed = logs.filter((l) => l['account_id'] === a.id)
    expect(failed).toHaveLength(1)
    expect(failed[0]).toMatchObject({ status: 'error' })
    expect(logs.filter((l) => l['account_id'] === b.id && l['status'] === 'success')).toHaveLength(
      1,
    )
    // The server is fine: the dashboard still answers.
    expect((await api.get('/api/accounts')).status).toBe(200)
  })
})

describe('default egress proxy (CODEX_LB_EGRESS_PROXY)', () => {
  it('is used by accounts without their own; an account setting wins', async () => {
    const fallback = await startHttpConnectProxy()
    const own = await startSocks5Proxy({ username: 'u', password: 'p' })
    const h = await startProxyHarness({ env: { EGRESS_PROXY: fallback.url } })
    try {
      const a = await h.addAccount({ email: 'a@example.com' })
      await h.sdk().responses.create({ model: 'gpt-5.5', input: 'x' })
      expect(fallback.requests()).toEqual([RESPONSES])

      await new DashboardClient(h.t.url).put(`/api/accounts/${a.id}/egress-proxy`, { url: own.url })
      await h.sdk().responses.create({ model: 'gpt-5.5', input: 'x' })
      expect(own.requests()).toEqual([RESPONSES])
      expect(fallback.requests()).toEqual([RESPONSES])
    } finally {
      await h.close()
      await Promise.all([fallback.close(), own.close()])
    }
  })
})

describe('egress proxy and the WebSocket transport', () => {
  it("serves a WebSocket client's turn for an account behind a proxy over HTTP SSE through it", async () => {
    const proxy = await startHttpConnectProxy()
    const h = await startProxyHarness()
    try {
      const a = await h.addAccount({ email: 'a@example.com' })
      await new DashboardClient(h.t.url).put(`/api/accounts/${a.id}/egress-proxy`, {
        url: proxy.url,
      })
      const ws = await connectWs(wsUrl(h.t.url), {})
      const input = [
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
      ]
      const frames = await ws.turn({ model: 'gpt-5.5', input })
      expect(frames.map((f) => f['type'])).toContain('response.completed')
      await ws.close()
      // No upstream WebSocket was opened: the turn went over HTTP, through the proxy.
      expect(h.fake.ws.connections).toHaveLength(0)
      expect(proxy.requests()).toEqual([RESPONSES])
    } finally {
      await h.close()
      await proxy.close()
    }
  })
})

describe('token refresh through an egress proxy without a pooled dispatcher', () => {
  it('opens its own through the proxy; a dead proxy is a transient network failure', async () => {
    const fake = await startFakeUpstream()
    const socks5 = await startSocks5Proxy({ username: 'u', password: 'p' })
    try {
      const account = fake.addAccount({ email: 'a@example.com' })
      const options = {
        authBaseUrl: fake.authBaseUrl,
        clientId: 'app_test',
        scope: 'openid profile email',
        timeoutMs: 2000,
      }
      const refreshToken = fake.tokens(account).refreshToken
      const outcome = await requestTokenRefresh(options, refreshToken, socks5.url)
      expect(outcome.ok).toBe(true)
      expect(socks5.requests()).toEqual([expect.stringMatching(/^POST \S*\/oauth\/token$/)])

      const dead = `http://127.0.0.1:${await deadPort()}`
      const failed = await requestTokenRefresh(options, fake.tokens(account).refreshToken, dead)
      expect(failed).toMatchObject({ ok: false, permanent: false, code: 'refresh_network_error' })
    } finally {
      await fake.close()
      await socks5.close()
    }
  })
})
