import { afterEach, describe, expect, it } from 'vitest'
import { DashboardClient } from '../support/dashboard-client.js'
import { dialects } from '../support/dialects.js'
import { DEFAULT_USAGE, rateLimitsEvent } from '../support/fake-upstream.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'

const DIALECTS = await dialects()

type Account = Awaited<ReturnType<ProxyHarness['addAccount']>>

async function send(h: ProxyHarness, path: string, body: Record<string, unknown>) {
  const res = await fetch(`${h.t.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-5.5', input: 'hi', ...body }),
  })
  await res.arrayBuffer()
  return res.status
}

/** One request (streamed or not, on either surface); answers the email of the account that served. */
async function servedBy(h: ProxyHarness, path = '/v1/responses', stream = false): Promise<string> {
  const before = h.fake.requestsTo('/backend-api/codex/responses').length
  expect(await send(h, path, { stream })).toBe(200)
  const calls = h.fake.requestsTo('/backend-api/codex/responses')
  expect(calls.length).toBe(before + 1)
  return calls.at(-1)!.account!.email
}

const inSeconds = (s: number) => String(Math.floor(Date.now() / 1000) + s)

/** What the upstream's rate-limit headers say on a response of an account. */
function limitHeaders(primary: number, secondary: number): Record<string, string> {
  return {
    'x-codex-primary-used-percent': String(primary),
    'x-codex-primary-window-minutes': '300',
    'x-codex-primary-reset-at': inSeconds(3600),
    'x-codex-secondary-used-percent': String(secondary),
    'x-codex-secondary-window-minutes': '10080',
    'x-codex-secondary-reset-after-seconds': '200000',
    'x-codex-credits-has-credits': 'false',
    'x-codex-credits-unlimited': 'false',
    'x-codex-credits-balance': '0',
  }
}

/** A stream whose first event is the upstream's `codex.rate_limits`, then a short response. */
function streamWithRateLimits(primaryUsedPercent: number) {
  const sse = (e: Record<string, unknown>) =>
    `event: ${String(e['type'])}\ndata: ${JSON.stringify(e)}\n\n`
  const response = { id: 'resp_live', object: 'response', model: 'gpt-5.5', output: [] }
  return {
    kind: 'raw' as const,
    headers: { 'content-type': 'text/event-stream' },
    chunks: [
      sse({ type: 'codex.rate_limits', ...rateLimitsEvent({ primaryUsedPercent }) }),
      sse({ type: 'response.created', response: { ...response, status: 'in_progress' } }),
      sse({
        type: 'response.completed',
        response: { ...response, status: 'completed', usage: DEFAULT_USAGE },
      }),
    ],
  }
}

describe.each(DIALECTS)('routing: live usage from the traffic ($name)', (dialect) => {
  let h: ProxyHarness
  let a: Account
  let polls: number
  afterEach(async () => h.close())

  /** Four accounts, a with the most quota left; one poll, then none (the test counts them). */
  async function setUp() {
    h = await startProxyHarness(
      dialect.name === 'sqlite' ? {} : { database: await dialect.make('') },
    )
    a = await h.addAccount({ email: 'a@example.com' })
    const rest = [
      await h.addAccount({ email: 'b@example.com' }),
      await h.addAccount({ email: 'c@example.com' }),
      await h.addAccount({ email: 'd@example.com' }),
    ]
    h.fake.setUsage(a, { primaryUsedPercent: 5, secondaryUsedPercent: 10 })
    rest.forEach((o, i) =>
      h.fake.setUsage(o, { primaryUsedPercent: 5, secondaryUsedPercent: 20 + i * 10 }),
    )
    await h.t.app.services.usage.refreshAll()
    polls = h.fake.requestsTo('/backend-api/wham/usage').length
    expect(await servedBy(h)).toBe('a@example.com')
  }

  async function latest(accountId: string, window: 'primary' | 'secondary') {
    const rows = await h.t.database.db
      .selectFrom('usage_history')
      .select(['used_percent', 'reset_at', 'recorded_at'])
      .where('account_id', '=', accountId)
      .where('window', '=', window)
      .orderBy('recorded_at', 'desc')
      .orderBy('id', 'desc')
      .execute()
    return rows[0]
  }

  it('a response whose headers say 100 % of the 5-hour window sends the next request elsewhere', async () => {
    await setUp()
    h.fake.script(a, { kind: 'ok', headers: limitHeaders(100, 12) })
    expect(await servedBy(h, '/backend-api/codex/responses', true)).toBe('a@example.com')
    for (let i = 0; i < 3; i++) expect(await servedBy(h)).not.toBe('a@example.com')
    expect(h.fake.requestsTo('/backend-api/wham/usage')).toHaveLength(polls)
    // Stored like a poll's answer: the window and the account's status.
    await expect.poll(async () => (await latest(a.id, 'primary'))?.used_percent).toBe(100)
    expect((await latest(a.id, 'secondary'))?.used_percent).toBe(12)
    await expect
      .poll(async () => {
        const row = await h.t.database.db
          .selectFrom('accounts')
          .select(['status', 'reset_at'])
          .where('id', '=', a.id)
          .executeTakeFirstOrThrow()
        return row.status
      })
      .toBe('rate_limited')
  })

  it('a response at 85 % of the week under an 80 % ceiling sends the next request elsewhere', async () => {
    await setUp()
    const api = new DashboardClient(h.t.url)
    await api.put('/api/settings', {
      stickyThreadsEnabled: false,
      preferEarlierResetAccounts: false,
      headroomSecondaryPercent: 80,
    })
    expect(await servedBy(h)).toBe('a@example.com')
    h.fake.script(a, { kind: 'ok', headers: limitHeaders(30, 85) })
    expect(await servedBy(h)).toBe('a@example.com')
    for (let i = 0; i < 3; i++) expect(await servedBy(h)).not.toBe('a@example.com')
    expect(h.fake.requestsTo('/backend-api/wham/usage')).toHaveLength(polls)
  })

  it('a codex.rate_limits event in the stream counts like the headers', async () => {
    await setUp()
    h.fake.script(a, streamWithRateLimits(100))
    expect(await servedBy(h)).toBe('a@example.com')
    expect(await servedBy(h)).not.toBe('a@example.com')
    await expect.poll(async () => (await latest(a.id, 'primary'))?.used_percent).toBe(100)
  })

  it('a 429 carrying the headers counts too, and the poll still corrects what the traffic said', async () => {
    await setUp()
    h.fake.script(a, { kind: 'ok', headers: limitHeaders(40, 85) })
    await servedBy(h)
    await expect.poll(async () => (await latest(a.id, 'secondary'))?.used_percent).toBe(85)
    // Nothing flows: the next poll is the truth again.
    h.fake.setUsage(a, { primaryUsedPercent: 5, secondaryUsedPercent: 10 })
    await h.t.app.services.usage.refreshAll()
    expect((await latest(a.id, 'secondary'))?.used_percent).toBe(10)
    h.fake.script(a, {
      kind: 'http-error',
      status: 429,
      headers: limitHeaders(100, 10),
      body: { error: { type: 'usage_limit_reached', message: 'The usage limit has been reached' } },
    })
    const before = h.fake.requestsTo('/backend-api/codex/responses').length
    expect(await send(h, '/v1/responses', {})).toBe(200)
    const tried = h.fake.requestsTo('/backend-api/codex/responses').slice(before)
    expect(tried.map((r) => r.account!.email)).toEqual(['a@example.com', 'b@example.com'])
    await expect.poll(async () => (await latest(a.id, 'primary'))?.used_percent).toBe(100)
  })

  it('stores an unchanged sample at most once per account every few seconds', async () => {
    await setUp()
    h.fake.script(a, { kind: 'ok', headers: limitHeaders(30, 40) })
    const api = new DashboardClient(h.t.url)
    // Pinned to a by the conversation, so every request lands there.
    await api.put('/api/settings', {
      stickyThreadsEnabled: true,
      preferEarlierResetAccounts: false,
    })
    for (let i = 0; i < 5; i++) {
      expect(await send(h, '/v1/responses', { prompt_cache_key: 'thread-1' })).toBe(200)
    }
    await expect.poll(async () => (await latest(a.id, 'secondary'))?.used_percent).toBe(40)
    const rows = await h.t.database.db
      .selectFrom('usage_history')
      .select('used_percent')
      .where('account_id', '=', a.id)
      .where('window', '=', 'secondary')
      .orderBy('id')
      .execute()
    // The poll's row and one live row.
    expect(rows.map((r) => r.used_percent)).toEqual([10, 40])
  })
})
