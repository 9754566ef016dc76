import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { rateLimited, usageLimitReached } from '../support/fake-upstream.js'
import { dialects } from '../support/dialects.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'

const DIALECTS = await dialects()

/** SQLite lives in the test app's own temp dir; PostgreSQL gets a fresh schema. */
async function harnessDatabase(dialect: (typeof DIALECTS)[number]) {
  return dialect.name === 'sqlite' ? {} : { database: await dialect.make('') }
}

async function post(h: ProxyHarness, body: Record<string, unknown>, path = '/v1/responses') {
  return fetch(`${h.t.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-5.5', input: 'hi', ...body }),
  })
}

async function accountRow(h: ProxyHarness, id: string) {
  return h.t.database.db
    .selectFrom('accounts')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
}

describe.each(DIALECTS)('proxy: failover, refresh and exhaustion ($name)', (dialect) => {
  let h: ProxyHarness
  beforeEach(async () => {
    h = await startProxyHarness(await harnessDatabase(dialect))
  })
  afterEach(async () => h.close())

  it('moves a request hit by 429 usage_limit_reached to the next account and marks the first', async () => {
    const a = await h.addAccount({ email: 'a@example.com' })
    const b = await h.addAccount({ email: 'b@example.com' })
    h.fake.script(a, usageLimitReached({ resetsInSeconds: 1800 }))
    h.fake.script(b, { kind: 'ok', text: 'served by b' })
    // Both tie on usage; whichever is tried first, the client must get b's answer.
    for (let i = 0; i < 2; i++) {
      const res = await h.sdk().responses.create({ model: 'gpt-5.5', input: 'x' })
      expect(res.output_text).toBe('served by b')
    }
    const rowA = await accountRow(h, a.id)
    expect(rowA.status).toBe('rate_limited')
    expect(rowA.reset_at).toBeGreaterThan(Date.now() + 1700_000)
    // The marked account is skipped afterwards: at most one request ever reached it.
    const toA = h.fake
      .requestsTo('/backend-api/codex/responses')
      .filter((r) => r.account?.email === 'a@example.com')
    expect(toA.length).toBeLessThanOrEqual(1)
    const logs = await h.logs()
    expect(logs.filter((l) => l['status'] === 'error').length).toBe(toA.length)
  })

  it('fails over when the first SSE event is a failure, before the client sees a byte', async () => {
    const a = await h.addAccount({ email: 'a@example.com' })
    const b = await h.addAccount({ email: 'b@example.com' })
    h.fake.script(a, { kind: 'first-event-failed', code: 'server_error' })
    h.fake.script(b, { kind: 'ok', text: 'from b' })
    const texts = new Set<string>()
    for (let i = 0; i < 2; i++) {
      const res = await post(h, {})
      texts.add(
        ((await res.json()) as { output: Array<{ content: Array<{ text: string }> }> }).output[0]!
          .content[0]!.text,
      )
    }
    expect([...texts]).toEqual(['from b'])
  })

  it('refreshes the token once on an upstream 401 and retries on the same account', async () => {
    const a = await h.addAccount({ email: 'a@example.com' })
    h.fake.expireAccessToken(a)
    const res = await h.sdk().responses.create({ model: 'gpt-5.5', input: 'x' })
    expect(res.output_text).toBe('Hi from fake upstream!')
    expect(h.fake.refreshCount(a)).toBe(1)
    const calls = h.fake.requestsTo('/backend-api/codex/responses')
    expect(calls.map((c) => c.status)).toEqual([401, 200])
  })

  it('deactivates an account whose refresh token is revoked and serves from another', async () => {
    const a = await h.addAccount({ email: 'a@example.com' })
    await h.addAccount({ email: 'b@example.com' })
    h.fake.expireAccessToken(a)
    h.fake.failRefresh(a, 'refresh_token_invalidated')
    for (let i = 0; i < 2; i++) {
      const res = await h.sdk().responses.create({ model: 'gpt-5.5', input: 'x' })
      expect(res.output_text).toBe('Hi from fake upstream!')
    }
    const row = await accountRow(h, a.id)
    expect(row.status).toBe('deactivated')
    expect(row.deactivation_reason).toMatch(/re-login/)
  })

  it('answers 429 usage_limit_reached with the earliest reset when every account is used up', async () => {
    const a = await h.addAccount({ email: 'a@example.com' })
    const b = await h.addAccount({ email: 'b@example.com' })
    h.fake.script(a, usageLimitReached({ resetsInSeconds: 7200 }))
    h.fake.script(b, usageLimitReached({ resetsInSeconds: 600 }))
    const res = await post(h, { stream: true }, '/backend-api/codex/responses')
    expect(res.status).toBe(429)
    const body = (await res.json()) as { error: Record<string, unknown> }
    expect(body.error).toMatchObject({
      type: 'usage_limit_reached',
      code: 'usage_limit_reached',
      plan_type: 'plus',
    })
    const resetsAt = body.error['resets_at'] as number
    expect(Math.abs(resetsAt - (Math.floor(Date.now() / 1000) + 600))).toBeLessThanOrEqual(2)
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(500)
    // Next request does not even reach the upstream.
    const again = await post(h, {})
    expect(again.status).toBe(429)
    expect(h.fake.requestsTo('/backend-api/codex/responses')).toHaveLength(2)
  })

  it('relays the upstream error when the only account just failed transiently', async () => {
    await h.addAccount({ email: 'a@example.com' })
    h.fake.scriptDefault({
      kind: 'http-error',
      status: 500,
      body: { error: { message: 'upstream exploded', type: 'server_error', code: 'server_error' } },
    })
    const res = await post(h, { stream: true })
    expect(res.status).toBe(500)
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      'upstream exploded',
    )
    // Meanwhile the account cools down: the next request is told when to come back.
    const next = await post(h, { stream: true })
    expect(next.status).toBe(503)
    expect(((await next.json()) as { error: { code: string } }).error.code).toBe(
      'accounts_cooling_down',
    )
    expect(Number(next.headers.get('retry-after'))).toBeGreaterThan(0)
  })

  it('answers 503 no_accounts saying how to add one when none is configured', async () => {
    const res = await post(h, { stream: true })
    expect(res.status).toBe(503)
    const body = (await res.json()) as { error: { code: string; message: string; type: string } }
    expect(body.error.code).toBe('no_accounts')
    expect(body.error.type).toBe('server_error')
    expect(body.error.message).toMatch(/accounts import|Add account/)
  })

  it('answers 503 no_accounts when every account is paused', async () => {
    const a = await h.addAccount({ email: 'a@example.com' })
    await h.t.app.services.accounts.pause(a.id)
    h.t.app.services.pool.invalidate()
    const res = await post(h, {})
    expect(res.status).toBe(503)
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/paused/)
  })

  it('cools down an account after a short rate limit and uses the other one meanwhile', async () => {
    const a = await h.addAccount({ email: 'a@example.com' })
    const b = await h.addAccount({ email: 'b@example.com' })
    h.fake.script(a, rateLimited(30))
    for (let i = 0; i < 3; i++) expect((await post(h, {})).status).toBe(200)
    const rowA = await accountRow(h, a.id)
    expect(rowA.status).toBe('active')
    expect(rowA.cooldown_until).toBeGreaterThan(Date.now() + 25_000)
    expect(
      h.fake.requestsTo('/backend-api/codex/responses').filter((r) => r.account?.email === b.email)
        .length,
    ).toBeGreaterThanOrEqual(3)
  })

  it('pins a conversation to its account by prompt_cache_key, and moves it when that account fails', async () => {
    const a = await h.addAccount({ email: 'a@example.com' })
    const b = await h.addAccount({ email: 'b@example.com' })
    const who = () => h.fake.requestsTo('/backend-api/codex/responses').at(-1)!.account!.email
    await post(h, { prompt_cache_key: 'thread-1' })
    const first = who()
    for (let i = 0; i < 4; i++) {
      await post(h, { prompt_cache_key: 'thread-1' })
      expect(who()).toBe(first)
    }
    // A different conversation goes to the least recently used account.
    await post(h, { prompt_cache_key: 'thread-2' })
    expect(who()).not.toBe(first)
    // The pinned account hits its limit: the conversation moves and stays moved.
    const pinned = first === a.email ? a : b
    h.fake.script(pinned, usageLimitReached())
    expect((await post(h, { prompt_cache_key: 'thread-1' })).status).toBe(200)
    const moved = who()
    expect(moved).not.toBe(first)
    await post(h, { prompt_cache_key: 'thread-1' })
    expect(who()).toBe(moved)
    // The pin is written through without holding up the response: it lands shortly after.
    const stored = async () =>
      (
        await h.t.database.db
          .selectFrom('sticky_sessions')
          .select('account_id')
          .where('key', '=', 'thread-1')
          .executeTakeFirst()
      )?.account_id
    await expect.poll(stored).toBe(moved === a.email ? a.id : b.id)
  })

  it('lets a pin expire after the idle time set in settings', async () => {
    await h.addAccount({ email: 'a@example.com' })
    await h.addAccount({ email: 'b@example.com' })
    const settings = h.t.app.services.settings
    const current = await settings.get()
    await settings.update({
      stickyThreadsEnabled: true,
      preferEarlierResetAccounts: current.preferEarlierResetAccounts,
      stickyTtlSeconds: 1,
    })
    const who = () => h.fake.requestsTo('/backend-api/codex/responses').at(-1)!.account!.email
    await post(h, { prompt_cache_key: 'short-lived' })
    const first = who()
    await post(h, { prompt_cache_key: 'short-lived' })
    expect(who()).toBe(first)
    await new Promise((r) => setTimeout(r, 1100))
    // The pin is stale: the least recently used account takes the conversation.
    await post(h, { prompt_cache_key: 'short-lived' })
    expect(who()).not.toBe(first)
  })

  it('does not pin when sticky threads are off', async () => {
    await h.addAccount({ email: 'a@example.com' })
    await h.addAccount({ email: 'b@example.com' })
    const current = await h.t.app.services.settings.get()
    await h.t.app.services.settings.update({
      stickyThreadsEnabled: false,
      preferEarlierResetAccounts: current.preferEarlierResetAccounts,
    })
    const seen = new Set<string>()
    for (let i = 0; i < 4; i++) {
      await post(h, { prompt_cache_key: 'no-pin' })
      seen.add(h.fake.requestsTo('/backend-api/codex/responses').at(-1)!.account!.email)
    }
    expect(seen.size).toBe(2)
  })

  it('spreads equal accounts by least recently used instead of sending everything to one', async () => {
    await h.addAccount({ email: 'a@example.com' })
    await h.addAccount({ email: 'b@example.com' })
    await h.addAccount({ email: 'c@example.com' })
    for (let i = 0; i < 6; i++) await post(h, {})
    const counts = new Map<string, number>()
    for (const r of h.fake.requestsTo('/backend-api/codex/responses')) {
      counts.set(r.account!.email, (counts.get(r.account!.email) ?? 0) + 1)
    }
    expect([...counts.values()]).toEqual([2, 2, 2])
  })
})

describe.each(DIALECTS)('usage polling ($name)', (dialect) => {
  let h: ProxyHarness
  beforeEach(async () => {
    h = await startProxyHarness(await harnessDatabase(dialect))
  })
  afterEach(async () => h.close())

  it('stores windows, limits an exhausted account and lifts it when the window resets', async () => {
    const a = await h.addAccount({ email: 'a@example.com', planType: 'plus' })
    h.fake.setUsage(a, {
      primaryUsedPercent: 100,
      secondaryUsedPercent: 40,
      primary: { resetAfterSeconds: 900 },
    })
    await h.t.app.services.usage.refreshAll()
    let row = await accountRow(h, a.id)
    expect(row.status).toBe('rate_limited')
    const res = await post(h, {})
    expect(res.status).toBe(429)
    const headers = (await post(h, {})).headers
    void headers
    h.fake.setUsage(a, { primaryUsedPercent: 5, secondaryUsedPercent: 41 })
    // The stored reset is in the future; simulate its passing by moving it back.
    await h.t.database.db
      .updateTable('accounts')
      .set({ reset_at: Date.now() - 1000 })
      .where('id', '=', a.id)
      .execute()
    await h.t.app.services.usage.refreshAll()
    row = await accountRow(h, a.id)
    expect(row.status).toBe('active')
    const ok = await post(h, {})
    expect(ok.status).toBe(200)
    expect(ok.headers.get('x-codex-primary-used-percent')).toBe('5')
    expect(ok.headers.get('x-codex-secondary-used-percent')).toBe('41')
    expect(ok.headers.get('x-codex-primary-window-minutes')).toBe('300')
  })

  it('deactivates an account on 403 from the usage endpoint, with the reason', async () => {
    const a = await h.addAccount({ email: 'a@example.com' })
    h.fake.setUsage(a, { status: 403, body: { error: { message: 'account suspended' } } })
    await h.t.app.services.usage.refreshAll()
    const row = await accountRow(h, a.id)
    expect(row.status).toBe('deactivated')
    expect(row.deactivation_reason).toBe('Usage API error: HTTP 403 - account suspended')
  })

  it('keeps an account active when the usage endpoint answers 403 with an HTML challenge page', async () => {
    const a = await h.addAccount({ email: 'challenged@example.com' })
    h.fake.setUsage(a, {
      status: 403,
      body: '<!DOCTYPE html><html><body>Just a moment…</body></html>',
    })
    await h.t.app.services.usage.refreshAll()
    expect((await accountRow(h, a.id)).status).toBe('active')
  })
})
