import { requestLogsPageSchema } from '@codex-lb/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DashboardClient } from '../support/dashboard-client.js'
import { usageLimitReached } from '../support/fake-upstream.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'

describe('request logs written by the proxy, read through /api', () => {
  let h: ProxyHarness
  let api: DashboardClient
  let accountId: string

  beforeAll(async () => {
    h = await startProxyHarness()
    api = new DashboardClient(h.t.url)
    accountId = (await h.addAccount({ email: 'solo@example.com' })).id
    const ok = await h.sdk().responses.create({ model: 'gpt-5.5', input: 'hi' })
    expect(ok.output_text).toBeTruthy()
    h.fake.scriptDefault(usageLimitReached())
    await expect(h.sdk().responses.create({ model: 'gpt-5.5', input: 'hi' })).rejects.toThrow()
    await h.logs() // flushes the queued writer
  })
  afterAll(async () => h.close())

  it('shows each attempt newest first with tokens, cost, timings and the mapped status', async () => {
    const res = await api.get('/api/request-logs')
    expect(res.status).toBe(200)
    expect(requestLogsPageSchema.parse(res.body)).toBeTruthy()
    expect(res.body.total).toBe(2)
    const [limited, served] = res.body.requests
    expect(limited).toMatchObject({ accountId, status: 'rate_limit', model: 'gpt-5.5' })
    expect(served).toMatchObject({
      accountId,
      accountEmail: 'solo@example.com',
      accountDeleted: false,
      status: 'ok',
      tokens: 49,
      inputTokens: 42,
      outputTokens: 7,
      cachedInputTokens: 10,
      reasoningTokens: 3,
      endpoint: '/v1/responses',
      errorCode: null,
    })
    expect(served.costUsd).toBeGreaterThan(0)
    expect(served.ttfbMs).toEqual(expect.any(Number))
    expect(served.requestedAt).toMatch(/Z$/)
    const options = await api.get('/api/request-logs/options')
    expect(options.body).toMatchObject({
      accountIds: [accountId],
      statuses: ['ok', 'rate_limit'],
    })
  })

  it('counts them in the overview and keeps them after the account is deleted', async () => {
    const overview = await api.get('/api/dashboard/overview')
    expect(overview.body.summary.metrics.requests7d).toBe(2)
    const points: Array<{ v: number }> = overview.body.trends.requests
    expect(points.reduce((sum, p) => sum + p.v, 0)).toBe(2)
    expect((await api.delete(`/api/accounts/${accountId}`)).status).toBe(200)
    const res = await api.get('/api/request-logs')
    expect(res.body.total).toBe(2)
    for (const r of res.body.requests) {
      expect(r).toMatchObject({ accountId, accountEmail: null, accountDeleted: true })
    }
  })
})
