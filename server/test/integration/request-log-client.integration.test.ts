import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DashboardClient } from '../support/dashboard-client.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'
import { connectWs, wsUrl } from '../support/ws-client.js'

const MODEL = 'gpt-5.5'
const body = JSON.stringify({ model: MODEL, input: 'hi', stream: false })

/** A POST as a client behind a proxy would send it: its own User-Agent and an x-forwarded-for. */
const postWith = (h: ProxyHarness, headers: Record<string, string>) =>
  fetch(`${h.t.url}/v1/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test', ...headers },
    body,
  })

const lastRow = async (h: ProxyHarness) => (await h.logs()).at(-1)!

describe('request-log rows name the client (no trusted proxy)', () => {
  let h: ProxyHarness
  beforeAll(async () => {
    h = await startProxyHarness({ env: { UPSTREAM_WEBSOCKET: 'off' } })
  })
  afterAll(async () => h.close())

  it('logs the unserved row of a request no account could take with the socket address', async () => {
    const res = await postWith(h, { 'user-agent': 'curl/8.5.0' })
    expect(res.status).toBeGreaterThanOrEqual(400)
    expect(await lastRow(h)).toMatchObject({
      account_id: null,
      client_ip: '127.0.0.1',
      user_agent: 'curl/8.5.0',
    })
  })

  it('logs the SDK request with 127.0.0.1 and the SDK user agent, and lists them in the API', async () => {
    await h.addAccount({ email: 'solo@example.com' })
    const ok = await h.sdk().responses.create({ model: MODEL, input: 'hi' })
    expect(ok.output_text).toBeTruthy()
    const row = await lastRow(h)
    expect(row).toMatchObject({ status: 'success', client_ip: '127.0.0.1' })
    expect(row['user_agent']).toMatch(/^OpenAI\/JS /)
    const page = await new DashboardClient(h.t.url).get('/api/request-logs?limit=1')
    expect(page.body.requests[0]).toMatchObject({
      clientIp: '127.0.0.1',
      userAgent: row['user_agent'],
    })
  })

  it('ignores x-forwarded-for, so a client cannot claim another address', async () => {
    const res = await postWith(h, { 'x-forwarded-for': '203.0.113.7' })
    expect(res.status).toBe(200)
    expect(await lastRow(h)).toMatchObject({ status: 'success', client_ip: '127.0.0.1' })
  })

  it('keeps at most 512 characters of a user agent', async () => {
    await postWith(h, { 'user-agent': 'x'.repeat(600) })
    expect((await lastRow(h))['user_agent']).toBe('x'.repeat(512))
  })

  it("logs a WebSocket turn with the upgrade request's user agent", async () => {
    const ws = await connectWs(wsUrl(h.t.url), { 'user-agent': 'codex_cli_rs/0.101.0' })
    try {
      const frames = await ws.turn({ model: MODEL, input: 'hi' })
      expect(frames.at(-1)?.['type']).toBe('response.completed')
    } finally {
      void ws.close()
    }
    expect(await lastRow(h)).toMatchObject({
      transport: 'websocket',
      client_ip: '127.0.0.1',
      user_agent: 'codex_cli_rs/0.101.0',
    })
  })
})

describe('request-log rows name the client (CODEX_LB_TRUSTED_PROXIES=127.0.0.1)', () => {
  let h: ProxyHarness
  beforeAll(async () => {
    h = await startProxyHarness({ env: { TRUSTED_PROXIES: '127.0.0.1' } })
    await h.addAccount({ email: 'solo@example.com' })
  })
  afterAll(async () => h.close())

  it('takes the address the trusted proxy forwarded', async () => {
    const res = await postWith(h, { 'x-forwarded-for': '203.0.113.7' })
    expect(res.status).toBe(200)
    expect(await lastRow(h)).toMatchObject({ status: 'success', client_ip: '203.0.113.7' })
  })
})
