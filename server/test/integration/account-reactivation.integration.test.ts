import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DashboardClient } from '../support/dashboard-client.js'
import { readSse } from '../support/fake-upstream.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'

// Issue 9 item 12: reactivating an account in the dashboard makes it usable at once, instead of
// the proxy answering "limit reached on every account" until the next usage poll.
describe('reactivating a limited account', () => {
  let h: ProxyHarness
  let api: DashboardClient
  beforeEach(async () => {
    h = await startProxyHarness()
    api = new DashboardClient(h.t.url)
  })
  afterEach(async () => h.close())

  const ask = () =>
    fetch(`${h.t.url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-5.5', input: 'hi', stream: true }),
    })
  const statusOf = async (id: string) =>
    (
      (await api.get('/api/accounts')).body.accounts as Array<{ accountId: string; status: string }>
    ).find((a) => a.accountId === id)?.status

  it('serves the very next proxied request with it', async () => {
    const account = await h.addAccount({ email: 'limited@example.com' })
    h.fake.setUsage(account, { primaryUsedPercent: 100 })
    await h.t.app.services.usage.refreshAll()
    expect(await statusOf(account.id)).toBe('rate_limited')
    const refused = await ask()
    expect(refused.status).toBe(429)
    expect(h.fake.requestsTo('/backend-api/codex/responses')).toHaveLength(0)

    // The limit is lifted upstream (e.g. credits bought); the user reactivates the account.
    h.fake.setUsage(account, { primaryUsedPercent: 20 })
    expect((await api.post(`/api/accounts/${account.id}/reactivate`)).status).toBe(200)
    expect(await statusOf(account.id)).toBe('active')

    const served = await ask()
    expect(served.status).toBe(200)
    await readSse(served)
    const sent = h.fake.requestsTo('/backend-api/codex/responses')
    expect(sent).toHaveLength(1)
    expect(sent[0]?.headers['chatgpt-account-id']).toBe(account.chatgptAccountId)
  })

  it('shows the account limited again when its usage still says so', async () => {
    const account = await h.addAccount({ email: 'still@example.com' })
    h.fake.setUsage(account, { primaryUsedPercent: 100 })
    await h.t.app.services.usage.refreshAll()
    expect((await api.post(`/api/accounts/${account.id}/reactivate`)).status).toBe(200)
    expect(await statusOf(account.id)).toBe('rate_limited')
    expect((await ask()).status).toBe(429)
  })
})
