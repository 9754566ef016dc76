import { createServer } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'

async function post(h: ProxyHarness, path = '/v1/responses') {
  return fetch(`${h.t.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-5.5', input: 'hi', stream: path.startsWith('/backend') }),
  })
}

async function setAccount(h: ProxyHarness, id: string, patch: Record<string, unknown>) {
  await h.t.database.db.updateTable('accounts').set(patch).where('id', '=', id).execute()
  h.t.app.services.pool.invalidate()
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

const secondsFromNow = (s: number) => Math.floor(Date.now() / 1000) + s

describe('proxy: when no account can serve', () => {
  let h: ProxyHarness
  afterEach(async () => h.close())

  it('answers 503 accounts_cooling_down with the soonest cooldown end as Retry-After', async () => {
    h = await startProxyHarness()
    const a = await h.addAccount({ email: 'a@example.com' })
    const b = await h.addAccount({ email: 'b@example.com' })
    await setAccount(h, a.id, { cooldown_until: Date.now() + 40_000 })
    await setAccount(h, b.id, { cooldown_until: Date.now() + 20_000 })
    for (const path of ['/v1/responses', '/backend-api/codex/responses']) {
      const res = await post(h, path)
      expect(res.status).toBe(503)
      const body = (await res.json()) as { error: Record<string, unknown> }
      expect(body.error).toMatchObject({ code: 'accounts_cooling_down', type: 'server_error' })
      expect(body.error['message']).toMatch(/cooling down.*Try again in 2\ds/)
      const retryAfter = Number(res.headers.get('retry-after'))
      expect(retryAfter).toBeGreaterThanOrEqual(18)
      expect(retryAfter).toBeLessThanOrEqual(20)
    }
    expect(h.fake.requestsTo('/backend-api/codex/responses')).toHaveLength(0)
  })

  it('decides "all used up" locally with resets_at, resets_in_seconds, plan_type and Retry-After', async () => {
    h = await startProxyHarness()
    const a = await h.addAccount({ email: 'a@example.com', planType: 'plus' })
    const b = await h.addAccount({ email: 'b@example.com', planType: 'pro' })
    await setAccount(h, a.id, { status: 'rate_limited', reset_at: Date.now() + 7_200_000 })
    await setAccount(h, b.id, { status: 'quota_exceeded', reset_at: Date.now() + 900_000 })
    const res = await post(h)
    expect(res.status).toBe(429)
    const { error } = (await res.json()) as { error: Record<string, number | string> }
    expect(error).toMatchObject({
      code: 'usage_limit_reached',
      type: 'usage_limit_reached',
      plan_type: 'pro',
    })
    expect(Math.abs((error['resets_at'] as number) - secondsFromNow(900))).toBeLessThanOrEqual(2)
    expect(Math.abs((error['resets_in_seconds'] as number) - 900)).toBeLessThanOrEqual(2)
    expect(Math.abs(Number(res.headers.get('retry-after')) - 900)).toBeLessThanOrEqual(2)
    expect(h.fake.requestsTo('/backend-api/codex/responses')).toHaveLength(0)
  })

  it('relays the last upstream 429 with resets_in_seconds, plan_type and Retry-After filled in', async () => {
    h = await startProxyHarness()
    const a = await h.addAccount({ email: 'a@example.com' })
    const b = await h.addAccount({ email: 'b@example.com', planType: 'pro' })
    // a only cools down, so the answer is b's own 429, which names nothing but its reset time.
    await setAccount(h, a.id, { cooldown_until: Date.now() + 30_000 })
    const resetsAt = secondsFromNow(600)
    h.fake.script(b, {
      kind: 'http-error',
      status: 429,
      body: { error: { type: 'usage_limit_reached', message: 'Limit hit', resets_at: resetsAt } },
    })
    const res = await post(h)
    expect(res.status).toBe(429)
    const { error } = (await res.json()) as { error: Record<string, number | string> }
    expect(error).toMatchObject({
      message: 'Limit hit',
      type: 'usage_limit_reached',
      code: 'usage_limit_reached',
      resets_at: resetsAt,
      plan_type: 'pro',
    })
    expect(Math.abs((error['resets_in_seconds'] as number) - 600)).toBeLessThanOrEqual(2)
    expect(Math.abs(Number(res.headers.get('retry-after')) - 600)).toBeLessThanOrEqual(2)
  })

  it('says "upstream unavailable" to the client and the request log; the socket error goes to the server log', async () => {
    const port = await closedPort()
    const lines: string[] = []
    h = await startProxyHarness({
      env: { UPSTREAM_BASE_URL: `http://127.0.0.1:${port}/backend-api`, LOG_LEVEL: 'warn' },
      logStream: { write: (line) => void lines.push(line) },
    })
    const a = await h.addAccount({ email: 'a@example.com' })
    const res = await post(h)
    const text = await res.text()
    expect(res.status).toBe(502)
    expect(JSON.parse(text)).toEqual({
      error: {
        message: 'The upstream is unavailable',
        type: 'server_error',
        code: 'upstream_unavailable',
      },
    })
    expect(text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/)
    const [row] = await h.logs()
    expect(row).toMatchObject({
      account_id: a.id,
      error_code: 'upstream_unavailable',
      error_message: 'The upstream is unavailable',
    })
    const warned = lines.map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(warned).toContainEqual(
      expect.objectContaining({
        level: 40,
        accountId: a.id,
        code: 'upstream_unavailable',
        detail: expect.stringContaining(`ECONNREFUSED 127.0.0.1:${port}`),
      }),
    )
  })
})

describe('proxy: exhaustion that explains itself', () => {
  it('says per reason why no account served, in the answer and in one request-log row', async () => {
    const h = await startProxyHarness()
    try {
      const a = await h.addAccount({ email: 'a@example.com' })
      const b = await h.addAccount({ email: 'b@example.com' })
      const c = await h.addAccount({ email: 'c@example.com' })
      const resetAt = Date.now() + 3_600_000
      await setAccount(h, a.id, { status: 'rate_limited', reset_at: resetAt })
      await setAccount(h, b.id, { status: 'rate_limited', reset_at: resetAt + 60_000 })
      await setAccount(h, c.id, { status: 'paused' })
      const res = await post(h)
      expect(res.status).toBe(429)
      const { error } = (await res.json()) as { error: Record<string, string> }
      const until = new Date(resetAt).toISOString().slice(11, 16)
      expect(error['message']).toContain(
        `2 accounts are rate limited until ${until} UTC, 1 account is paused`,
      )
      const row = (await h.logs()).at(-1)!
      expect(row).toMatchObject({
        account_id: null,
        status: 'error',
        http_status: 429,
        error_code: 'usage_limit_reached',
        endpoint: '/v1/responses',
      })
      expect(row['error_message']).toBe(error['message'])
      expect(h.fake.requestsTo('/backend-api/codex/responses')).toHaveLength(0)
    } finally {
      await h.close()
    }
  })
})
