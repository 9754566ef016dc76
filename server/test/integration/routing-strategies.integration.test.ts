import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DashboardClient } from '../support/dashboard-client.js'
import { dialects } from '../support/dialects.js'
import { usageLimitReached } from '../support/fake-upstream.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'

const DIALECTS = await dialects()
const FLAGS = { stickyThreadsEnabled: true, preferEarlierResetAccounts: false }

/** SQLite lives in the test app's own temp dir; PostgreSQL gets a fresh schema. */
async function harnessDatabase(dialect: (typeof DIALECTS)[number]) {
  return dialect.name === 'sqlite' ? {} : { database: await dialect.make('') }
}

describe.each(DIALECTS)('routing strategies over HTTP ($name)', (dialect) => {
  let h: ProxyHarness
  let api: DashboardClient

  beforeEach(async () => {
    // The environment default is fill_first: the dashboard's choice must beat it, null restore it.
    h = await startProxyHarness({
      ...(await harnessDatabase(dialect)),
      env: { ROUTING_STRATEGY: 'fill_first' },
    })
    api = new DashboardClient(h.t.url)
  })
  afterEach(async () => h.close())

  /** Sends n requests one after the other, each a new conversation; returns who served each. */
  async function servedBy(n: number): Promise<string[]> {
    const before = h.fake.requestsTo('/backend-api/codex/responses').length
    for (let i = 0; i < n; i++) {
      const res = await fetch(`${h.t.url}/v1/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-5.5', input: `request ${i}` }),
      })
      expect(res.status).toBe(200)
      await res.arrayBuffer()
    }
    return h.fake
      .requestsTo('/backend-api/codex/responses')
      .slice(before)
      .map((r) => r.account?.email ?? '?')
  }

  /** Emails in the order without positions: oldest first, then the id. */
  async function stableOrder(): Promise<string[]> {
    const rows = await h.t.database.db
      .selectFrom('accounts')
      .select(['email', 'created_at', 'id'])
      .execute()
    return rows
      .sort((x, y) => Number(x.created_at) - Number(y.created_at) || (x.id < y.id ? -1 : 1))
      .map((r) => r.email)
  }

  async function addAccounts(n: number) {
    const accounts = []
    for (let i = 0; i < n; i++) accounts.push(await h.addAccount({ email: `u${i}@example.com` }))
    return accounts
  }

  it('settings: the environment default, a saved strategy, 422 naming the field, null restores', async () => {
    expect((await api.get('/api/settings')).body.routingStrategy).toBe('fill_first')
    const bad = await api.put('/api/settings', { ...FLAGS, routingStrategy: 'fastest' })
    expect(bad.status).toBe(422)
    expect(bad.body.error.code).toBe('validation_error')
    expect(bad.body.error.message).toContain('routingStrategy')
    const saved = await api.put('/api/settings', { ...FLAGS, routingStrategy: 'round_robin' })
    expect(saved.status).toBe(200)
    expect(saved.body.routingStrategy).toBe('round_robin')
    // Absent keeps it (the other settings forms do not send it).
    expect((await api.put('/api/settings', FLAGS)).body.routingStrategy).toBe('round_robin')
    expect((await api.get('/api/settings')).body.routingStrategy).toBe('round_robin')
    const row = await h.t.database.db
      .selectFrom('dashboard_settings')
      .select('routing_strategy')
      .executeTakeFirstOrThrow()
    expect(row.routing_strategy).toBe('round_robin')
    const reset = await api.put('/api/settings', { ...FLAGS, routingStrategy: null })
    expect(reset.body.routingStrategy).toBe('fill_first')
  })

  it('PATCH /api/accounts/:id sets and clears the fill_first position; bad values are 422s', async () => {
    const [a] = await addAccounts(1)
    const path = `/api/accounts/${encodeURIComponent(a!.id)}`
    for (const routeOrder of [0, -3, 1.5, '2', 10_000]) {
      const res = await api.patch(path, { routeOrder })
      expect(res.status, `routeOrder ${String(routeOrder)}`).toBe(422)
      expect(res.body.error.message).toContain('routeOrder')
    }
    expect((await api.patch(path, {})).status).toBe(422)
    expect((await api.patch('/api/accounts/nobody', { routeOrder: 1 })).status).toBe(404)

    const set = await api.patch(path, { routeOrder: 3 })
    expect(set.status).toBe(200)
    expect(set.body).toEqual({ accountId: a!.id, routeOrder: 3, alias: null })
    expect((await api.get('/api/accounts')).body.accounts[0].routeOrder).toBe(3)
    expect((await api.patch(`${path}/`, { routeOrder: null })).body.routeOrder).toBeNull()
    expect((await api.get('/api/accounts')).body.accounts[0].routeOrder).toBeNull()
  })

  it('fill_first: the first account in the user order takes everything until it is limited', async () => {
    const [u0, u1, u2, u3, u4] = await addAccounts(5)
    // Order: u3, u1, then the unordered ones oldest first (u0, u2, u4).
    await api.patch(`/api/accounts/${u3!.id}`, { routeOrder: 1 })
    await api.patch(`/api/accounts/${u1!.id}`, { routeOrder: 2 })
    // Most remaining would prefer the accounts with the emptiest windows: fill_first does not care.
    h.fake.setUsage(u3!, { primaryUsedPercent: 60, secondaryUsedPercent: 70 })
    await h.t.app.services.usage.refreshAll()
    h.t.app.services.pool.invalidate()

    expect(await servedBy(3)).toEqual(['u3@example.com', 'u3@example.com', 'u3@example.com'])
    // u3 is used up: the request fails over to the next in order, which then keeps the traffic.
    h.fake.script(u3!, usageLimitReached({ resetsInSeconds: 3600 }))
    expect(await servedBy(3)).toEqual([
      'u3@example.com',
      'u1@example.com',
      'u1@example.com',
      'u1@example.com',
    ])
    await api.post(`/api/accounts/${u1!.id}/pause`)
    const oldest = (await stableOrder()).filter((e) => ![u3, u1].some((u) => u!.email === e))[0]
    expect([u0, u2, u4].map((u) => u!.email)).toContain(oldest)
    expect(await servedBy(2)).toEqual([oldest, oldest])
  })

  it('round_robin: each new request takes the next account, in a stable order, wrapping around', async () => {
    const accounts = await addAccounts(4)
    expect(
      (await api.put('/api/settings', { ...FLAGS, routingStrategy: 'round_robin' })).status,
    ).toBe(200)
    const order = await stableOrder()
    expect(await servedBy(8)).toEqual([...order, ...order])
    // A paused account drops out of the rotation; the others keep their turns.
    await api.post(`/api/accounts/${accounts[1]!.id}/pause`)
    const rest = order.filter((e) => e !== 'u1@example.com')
    const next = await servedBy(6)
    expect(new Set(next.slice(0, 3))).toEqual(new Set(rest))
    expect(next.slice(3)).toEqual(next.slice(0, 3))
  })

  it('a saved strategy takes effect on the next request', async () => {
    const [u0, u1, u2] = await addAccounts(3)
    await api.patch(`/api/accounts/${u2!.id}`, { routeOrder: 1 })
    expect(await servedBy(2)).toEqual(['u2@example.com', 'u2@example.com'])
    await api.put('/api/settings', { ...FLAGS, routingStrategy: 'round_robin' })
    const rotated = await servedBy(3)
    expect(new Set(rotated)).toEqual(
      new Set(['u0@example.com', 'u1@example.com', 'u2@example.com']),
    )
    void u0
    void u1
  })
})
