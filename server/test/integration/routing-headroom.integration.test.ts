import { afterEach, describe, expect, it } from 'vitest'
import { DashboardClient, ManualClock } from '../support/dashboard-client.js'
import { dialects } from '../support/dialects.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'

const DIALECTS = await dialects()
const HOUR = 3_600_000

type Account = Awaited<ReturnType<ProxyHarness['addAccount']>>

/** One non-streaming request; answers the status and, when served, the email of the account. */
async function ask(h: ProxyHarness): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${h.t.url}/v1/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-5.5', input: 'hi' }),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

async function servedBy(h: ProxyHarness): Promise<string> {
  const before = h.fake.requestsTo('/backend-api/codex/responses').length
  const { status } = await ask(h)
  expect(status).toBe(200)
  const calls = h.fake.requestsTo('/backend-api/codex/responses')
  expect(calls.length).toBe(before + 1)
  return calls.at(-1)!.account!.email
}

describe.each(DIALECTS)('routing: per-account headroom ($name)', (dialect) => {
  let h: ProxyHarness
  let api: DashboardClient
  let clock: ManualClock
  let a: Account
  let others: Account[]
  afterEach(async () => h.close())

  /** a at 85 % of its week (reset in `aResetMs`); b, c, d at 90 % with their own 95 % ceiling. */
  async function setUp(aResetMs = 2 * 86_400_000) {
    clock = new ManualClock(Date.now())
    h = await startProxyHarness({
      clock,
      ...(dialect.name === 'sqlite' ? {} : { database: await dialect.make('') }),
    })
    api = new DashboardClient(h.t.url)
    a = await h.addAccount({ email: 'a@example.com' })
    others = [
      await h.addAccount({ email: 'b@example.com' }),
      await h.addAccount({ email: 'c@example.com' }),
      await h.addAccount({ email: 'd@example.com' }),
    ]
    const resetAt = Math.floor((Date.now() + aResetMs) / 1000)
    h.fake.setUsage(a, { primaryUsedPercent: 5, secondary: { usedPercent: 85, resetAt } })
    for (const o of others) {
      h.fake.setUsage(o, { primaryUsedPercent: 5, secondaryUsedPercent: 90 })
      const res = await api.put(`/api/accounts/${o.id}/headroom`, { secondaryPercent: 95 })
      expect(res.status).toBe(200)
    }
    await h.t.app.services.usage.refreshAll()
  }

  async function setGlobal(body: Record<string, unknown>) {
    const res = await api.put('/api/settings', {
      stickyThreadsEnabled: false,
      preferEarlierResetAccounts: false,
      ...body,
    })
    expect(res.status).toBe(200)
    return res.body as Record<string, unknown>
  }

  it('skips an account at 85 % of its week under an 80 % ceiling, until the ceiling is raised', async () => {
    await setUp()
    // Without a ceiling the account with the most weekly quota left (a) takes the requests.
    expect(await servedBy(h)).toBe('a@example.com')
    expect(await setGlobal({ headroomSecondaryPercent: 80 })).toMatchObject({
      headroomPrimaryPercent: 100,
      headroomSecondaryPercent: 80,
    })
    for (let i = 0; i < 4; i++) expect(await servedBy(h)).not.toBe('a@example.com')
    // Raised for this account alone: picked again at once.
    const raised = await api.put(`/api/accounts/${a.id}/headroom`, { secondaryPercent: 90 })
    expect(raised.body).toEqual({
      accountId: a.id,
      headroom: { primaryPercent: null, secondaryPercent: 90 },
    })
    expect(await servedBy(h)).toBe('a@example.com')
    // Back to the global ceiling (null): skipped again; the summary says whose ceiling is whose.
    await api.put(`/api/accounts/${a.id}/headroom`, { secondaryPercent: null })
    expect(await servedBy(h)).not.toBe('a@example.com')
    const list = (await api.get('/api/accounts')).body as {
      accounts: Array<{ email: string; headroom: unknown }>
    }
    expect(list.accounts.map((x) => [x.email, x.headroom])).toEqual([
      ['a@example.com', { primaryPercent: null, secondaryPercent: null }],
      ...['b', 'c', 'd'].map((n) => [
        `${n}@example.com`,
        { primaryPercent: null, secondaryPercent: 95 },
      ]),
    ])
  })

  it('takes the account again once its weekly window has reset', async () => {
    await setUp(HOUR)
    await setGlobal({ headroomSecondaryPercent: 80 })
    expect(await servedBy(h)).not.toBe('a@example.com')
    clock.advance(HOUR + 60_000)
    expect(await servedBy(h)).toBe('a@example.com')
  })

  it('answers 429 usage_limit_reached with resets_at when every account is above its ceiling', async () => {
    await setUp(5 * HOUR)
    await setGlobal({ headroomSecondaryPercent: 80 })
    for (const o of others)
      await api.put(`/api/accounts/${o.id}/headroom`, { secondaryPercent: null })
    const before = h.fake.requestsTo('/backend-api/codex/responses').length
    const { status, body } = await ask(h)
    expect(status).toBe(429)
    const error = body['error'] as Record<string, unknown>
    expect(error).toMatchObject({ code: 'usage_limit_reached', type: 'usage_limit_reached' })
    expect(error['message']).toMatch(/4 accounts are above their usage ceiling until \d\d:\d\d UTC/)
    // a's week resets first (in 5 h); the others' a week from now.
    const expected = Math.floor((Date.now() + 5 * HOUR) / 1000)
    expect(Math.abs((error['resets_at'] as number) - expected)).toBeLessThanOrEqual(2)
    expect(h.fake.requestsTo('/backend-api/codex/responses')).toHaveLength(before)
    const rows = await h.logs()
    expect(rows.at(-1)).toMatchObject({ account_id: null, error_code: 'usage_limit_reached' })
  })

  it('refuses ceilings outside 0–100 with a 422 naming the field', async () => {
    await setUp()
    const global = await api.put('/api/settings', {
      stickyThreadsEnabled: true,
      preferEarlierResetAccounts: false,
      headroomPrimaryPercent: 101,
    })
    expect(global.status).toBe(422)
    expect(JSON.stringify(global.body)).toContain('headroomPrimaryPercent')
    const own = await api.put(`/api/accounts/${a.id}/headroom`, { secondaryPercent: -1 })
    expect(own.status).toBe(422)
    expect(JSON.stringify(own.body)).toContain('secondaryPercent')
    const missing = await api.put('/api/accounts/nope/headroom', { secondaryPercent: 50 })
    expect(missing.status).toBe(404)
    // A null global ceiling returns to the environment default (100 here).
    await setGlobal({ headroomSecondaryPercent: 70 })
    expect(await setGlobal({ headroomSecondaryPercent: null })).toMatchObject({
      headroomSecondaryPercent: 100,
    })
  })
})

describe('routing: headroom from the environment', () => {
  let h: ProxyHarness
  afterEach(async () => h.close())

  it('CODEX_LB_HEADROOM_SECONDARY_PERCENT is the global ceiling until the dashboard saves one', async () => {
    h = await startProxyHarness({ env: { HEADROOM_SECONDARY_PERCENT: '80' } })
    const api = new DashboardClient(h.t.url)
    const a = await h.addAccount({ email: 'a@example.com' })
    const b = await h.addAccount({ email: 'b@example.com' })
    // b has less left than a, but its own ceiling (95 %) lets it serve.
    h.fake.setUsage(a, { secondaryUsedPercent: 85 })
    h.fake.setUsage(b, { secondaryUsedPercent: 90 })
    await api.put(`/api/accounts/${b.id}/headroom`, { secondaryPercent: 95 })
    await h.t.app.services.usage.refreshAll()
    const settings = (await api.get('/api/settings')).body as Record<string, unknown>
    expect(settings).toMatchObject({ headroomPrimaryPercent: 100, headroomSecondaryPercent: 80 })
    for (let i = 0; i < 3; i++) expect(await servedBy(h)).toBe('b@example.com')
  })
})
