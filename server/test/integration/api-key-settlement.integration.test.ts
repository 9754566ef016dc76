import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DashboardClient } from '../support/dashboard-client.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'

describe('API-key settlement survives a database blip', () => {
  let h: ProxyHarness
  let api: DashboardClient
  beforeEach(async () => {
    h = await startProxyHarness()
    await h.addAccount({ email: 'settle@example.com' })
    api = new DashboardClient(h.t.url)
  })
  afterEach(async () => h.close())

  async function keyWithLimit() {
    const created = await api.post('/api/api-keys/', {
      name: 'budget',
      limits: [{ limitType: 'total_tokens', limitWindow: 'daily', maxValue: 1_000_000 }],
    })
    await api.put('/api/settings', {
      stickyThreadsEnabled: true,
      preferEarlierResetAccounts: false,
      apiKeyAuthEnabled: true,
    })
    return created.body as { id: string; key: string }
  }

  const reservations = (id: string) =>
    h.t.database.db
      .selectFrom('api_key_usage_reservations')
      .select(['status', 'input_tokens', 'output_tokens'])
      .where('api_key_id', '=', id)
      .execute()

  it('settles the actual usage once the database is back', async () => {
    const key = await keyWithLimit()
    h.fake.scriptDefault({ kind: 'ok', eventDelayMs: 60 })
    const db = h.t.database.db
    const pending = fetch(`${h.t.url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key.key}` },
      body: JSON.stringify({ model: 'gpt-5.5', input: 'hi', stream: true }),
    }).then((r) => r.text())
    await new Promise((r) => setTimeout(r, 150))
    expect(await reservations(key.id)).toEqual([
      { status: 'reserved', input_tokens: null, output_tokens: null },
    ])
    // The stream ends while the reservations table is gone: settling fails and is retried.
    await db.schema.alterTable('api_key_usage_reservations').renameTo('reservations_away').execute()
    try {
      expect(await pending).toContain('response.completed')
      await new Promise((r) => setTimeout(r, 300))
    } finally {
      await db.schema
        .alterTable('reservations_away')
        .renameTo('api_key_usage_reservations')
        .execute()
    }
    await expect
      .poll(() => reservations(key.id), { timeout: 10_000, interval: 200 })
      .toEqual([{ status: 'finalized', input_tokens: 42, output_tokens: 7 }])
    const limit = await db
      .selectFrom('api_key_limits')
      .select('current_value')
      .where('api_key_id', '=', key.id)
      .executeTakeFirstOrThrow()
    expect(limit.current_value).toBe(49)
  })

  it('the sweeper releases reservations abandoned long ago', async () => {
    const key = await keyWithLimit()
    const reservationsService = h.t.app.services.apiKeys.reservations
    const principal = { id: key.id, name: 'budget', allowedModels: null }
    await reservationsService.reserve(principal, 'gpt-5.5')
    const db = h.t.database.db
    const before = await db
      .selectFrom('api_key_limits')
      .select('current_value')
      .executeTakeFirstOrThrow()
    expect(before.current_value).toBeGreaterThan(0)
    expect(await reservationsService.sweepStale(60_000)).toBe(0)
    await db
      .updateTable('api_key_usage_reservations')
      .set({ updated_at: Date.now() - 3 * 3_600_000 })
      .execute()
    expect(await reservationsService.sweepStale(2 * 3_600_000)).toBe(1)
    expect(await reservations(key.id)).toEqual([
      { status: 'released', input_tokens: null, output_tokens: null },
    ])
    const after = await db
      .selectFrom('api_key_limits')
      .select('current_value')
      .executeTakeFirstOrThrow()
    expect(after.current_value).toBe(0)
  })
})
