import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DashboardClient } from '../support/dashboard-client.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'

// End to end: client → proxy (API-key guard, reservation) → fake upstream → settlement.
describe('proxy with API keys: usage is settled against the key', () => {
  let h: ProxyHarness
  let api: DashboardClient
  let key: { id: string; key: string }

  const limits = async () =>
    (await api.get('/api/api-keys/')).body.find((k: { id: string }) => k.id === key.id)

  beforeAll(async () => {
    h = await startProxyHarness()
    await h.addAccount({ email: 'keys@example.com' })
    api = new DashboardClient(h.t.url)
    key = (
      await api.post('/api/api-keys/', {
        name: 'e2e',
        limits: [{ limitType: 'total_tokens', limitWindow: 'daily', maxValue: 100_000 }],
      })
    ).body
    await api.put('/api/settings', {
      stickyThreadsEnabled: true,
      preferEarlierResetAccounts: false,
      apiKeyAuthEnabled: true,
    })
  })
  afterAll(async () => h.close())

  it('refuses the SDK without a valid key', async () => {
    await expect(h.sdk().responses.create({ model: 'gpt-5.5', input: 'hi' })).rejects.toMatchObject(
      {
        status: 401,
        code: 'invalid_api_key',
      },
    )
  })

  it('settles the actual usage (input + output) and stamps lastUsedAt', async () => {
    const sdk = new OpenAI({ baseURL: `${h.t.url}/v1`, apiKey: key.key, maxRetries: 0 })
    const response = await sdk.responses.create({ model: 'gpt-5.5', input: 'hi' })
    expect(response.usage?.input_tokens).toBe(42)
    const after = await limits()
    expect(after.limits[0].currentValue).toBe(42 + 7)
    expect(after.lastUsedAt).not.toBeNull()
    const logs = await h.logs()
    expect(logs.at(-1)).toMatchObject({ api_key_id: key.id })
  })

  it('gives the reservation back when the upstream fails', async () => {
    const before = (await limits()).limits[0].currentValue
    h.fake.scriptDefault({ kind: 'http-error', status: 400 })
    const sdk = new OpenAI({ baseURL: `${h.t.url}/v1`, apiKey: key.key, maxRetries: 0 })
    await expect(sdk.responses.create({ model: 'gpt-5.5', input: 'hi' })).rejects.toBeDefined()
    h.fake.reset()
    expect((await limits()).limits[0].currentValue).toBe(before)
    const statuses = await h.t.database.db
      .selectFrom('api_key_usage_reservations')
      .select('status')
      .orderBy('created_at')
      .execute()
    expect(statuses.map((s) => s.status)).toEqual(['finalized', 'released'])
  })
})
