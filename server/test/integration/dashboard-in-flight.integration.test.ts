import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { DashboardClient } from '../support/dashboard-client.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'

describe('overview: requests in flight right now', () => {
  let h: ProxyHarness
  let api: DashboardClient
  const inFlight = async () => {
    const res = await api.get('/api/dashboard/overview')
    expect(res.status).toBe(200)
    return res.body.inFlight as number
  }

  beforeAll(async () => {
    h = await startProxyHarness()
    api = new DashboardClient(h.t.url)
    await h.addAccount({ email: 'solo@example.com' })
  })
  afterAll(async () => h.close())

  it('counts a slow stream while it runs and is back to 0 once it ended', async () => {
    expect(await inFlight()).toBe(0)
    h.fake.scriptDefault({ kind: 'ok', eventDelayMs: 150 })
    const res = await fetch(`${h.t.url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-5.5', input: 'hi', stream: true }),
    })
    expect(res.status).toBe(200)
    expect(await inFlight()).toBe(1)
    const text = await res.text()
    expect(text).toContain('response.completed')
    await vi.waitFor(async () => expect(await inFlight()).toBe(0))
  })
})
