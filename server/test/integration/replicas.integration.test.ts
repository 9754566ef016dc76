import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dialects } from '../support/dialects.js'
import { DashboardClient } from '../support/dashboard-client.js'
import { startFakeUpstream, type FakeAccount, type FakeUpstream } from '../support/fake-upstream.js'
import { startReplicas, within, type Replicas } from '../support/replicas.js'

// Real server processes on one PostgreSQL schema, as a team runs them behind a load balancer: a
// change made through one is obeyed by the others at once, and shared budgets stay exact.

const PG = (await dialects()).filter((d) => d.name === 'postgres')
const RESPONSES = '/backend-api/codex/responses'

async function respond(url: string, body: Record<string, unknown> = {}, key?: string) {
  const res = await fetch(`${url}/v1/responses`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    },
    body: JSON.stringify({ model: 'gpt-5.5', input: 'hi', ...body }),
  })
  await res.text()
  return res.status
}

async function databaseUrl(dialect: (typeof PG)[number]): Promise<string> {
  const database = await dialect.make('')
  if (database.kind !== 'postgres') throw new Error('PostgreSQL only')
  return database.url
}

describe.each(PG)('three replicas on one database ($name)', (dialect) => {
  let fake: FakeUpstream
  let r: Replicas
  let accounts: FakeAccount[]
  beforeAll(async () => {
    fake = await startFakeUpstream()
    r = await startReplicas(3, await databaseUrl(dialect), fake, {
      CODEX_LB_USAGE_REFRESH_ENABLED: 'false',
    })
    accounts = [
      fake.addAccount({ email: 'one@example.com' }),
      fake.addAccount({ email: 'two@example.com' }),
    ]
    await r.importAccounts(...accounts)
  }, 120_000)
  afterAll(async () => {
    await r?.close()
    await fake?.close()
  })

  it('keeps a conversation on its account whichever replica serves it', async () => {
    const before = fake.requestsTo(RESPONSES).length
    for (let round = 0; round < 2; round++) {
      for (const url of r.urls) expect(await respond(url, { prompt_cache_key: 'conv-7' })).toBe(200)
    }
    const served = fake
      .requestsTo(RESPONSES)
      .slice(before)
      .map((q) => q.account?.email)
    expect(served).toHaveLength(6)
    expect(new Set(served).size).toBe(1)
  })

  it('refreshes a token once when two replicas are asked at the same moment', async () => {
    const [one] = accounts
    const list = (await new DashboardClient(r.urls[0]!).get('/api/accounts')).body
    const id = (list.accounts as Array<{ accountId: string; email: string }>).find(
      (a) => a.email === 'one@example.com',
    )!.accountId
    fake.scriptRefresh(one!, { kind: 'slow', ms: 400 })
    const before = fake.refreshCount(one!)
    const answers = await Promise.all(
      r.urls.slice(0, 2).map((url) => new DashboardClient(url).post(`/api/accounts/${id}/refresh`)),
    )
    for (const a of answers) expect(a.status).toBe(200)
    expect(fake.refreshCount(one!) - before).toBe(1)
  })

  it('obeys a settings change made on another replica within a second', async () => {
    const admin = new DashboardClient(r.urls[0]!)
    // Every replica has the settings cached (5 s) before the change.
    for (const url of r.urls) expect(await respond(url)).toBe(200)
    const created = await admin.post('/api/api-keys/', { name: 'shared', limits: [] })
    expect(created.status).toBe(200)
    const saved = await admin.put('/api/settings', {
      stickyThreadsEnabled: true,
      preferEarlierResetAccounts: false,
      apiKeyAuthEnabled: true,
    })
    expect(saved.status).toBe(200)
    const took = await Promise.all(
      r.urls.slice(1).map((url) => within(1000, async () => (await respond(url)) === 401)),
    )
    for (const ms of took) expect(ms).toBeLessThan(1000)
    console.log(
      `[replicas] a settings change was obeyed by the other replicas after ${took.join(' and ')} ms`,
    )
    for (const url of r.urls) expect(await respond(url, {}, created.body.key)).toBe(200)
  })

  it('never overspends a key budget with concurrent requests spread over every replica', async () => {
    const admin = new DashboardClient(r.urls[0]!)
    const perRequest = 8192
    fake.scriptDefault({
      kind: 'ok',
      eventDelayMs: 20,
      usage: {
        input_tokens: 8000,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: 192,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: perRequest,
      },
    })
    const limits = [{ limitType: 'total_tokens', limitWindow: 'daily', maxValue: 10 * perRequest }]
    const key = (await admin.post('/api/api-keys/', { name: 'budget', limits })).body
    const statuses = await Promise.all(
      Array.from({ length: 45 }, (_, i) => respond(r.urls[i % 3]!, {}, key.key)),
    )
    const ok = statuses.filter((s) => s === 200).length
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([])
    expect(ok).toBeGreaterThanOrEqual(1)
    expect(ok).toBeLessThanOrEqual(10)
    const keys = (await admin.get('/api/api-keys/')).body as Array<{
      id: string
      limits: Array<{ currentValue: number; maxValue: number }>
    }>
    const limit = keys.find((k) => k.id === key.id)!.limits[0]!
    expect(limit.currentValue).toBe(ok * perRequest)
    expect(limit.currentValue).toBeLessThanOrEqual(limit.maxValue)
  })

  it('locks every replica once the dashboard password is set on one of them', async () => {
    for (const url of r.urls.slice(1)) {
      expect((await new DashboardClient(url).get('/api/settings')).status).toBe(200)
    }
    const setup = await new DashboardClient(r.urls[0]!).post('/api/dashboard-auth/password/setup', {
      password: 'correct horse battery staple',
    })
    expect(setup.status).toBe(200)
    for (const url of r.urls.slice(1)) {
      const ms = await within(1000, async () => {
        return (await new DashboardClient(url).get('/api/settings')).status === 401
      })
      expect(ms).toBeLessThan(1000)
    }
  })
})

describe.each(PG)('per-account stream caps across replicas ($name)', (dialect) => {
  it('never lets two replicas together open more streams on an account than its cap', async () => {
    const fake = await startFakeUpstream()
    const url = await databaseUrl(dialect)
    const r = await startReplicas(0, url, fake, {
      CODEX_LB_ACCOUNT_MAX_STREAMS: '2',
      CODEX_LB_ACCOUNT_QUEUE_WAIT_SECONDS: '60',
      CODEX_LB_USAGE_REFRESH_ENABLED: 'false',
    })
    try {
      const accounts = [fake.addAccount(), fake.addAccount()]
      await r.importAccounts(...accounts)
      await r.add()
      await r.add()
      // Each replica has heard the other's hello (every 2 s) before the burst.
      await new Promise((resolve) => setTimeout(resolve, 2500))
      fake.scriptDefault({ kind: 'ok', text: 'one two three four', eventDelayMs: 40 })
      const statuses = await Promise.all(
        Array.from({ length: 24 }, (_, i) => respond(r.urls[i % 2]!, { stream: true })),
      )
      expect(statuses.filter((s) => s === 200)).toHaveLength(24)
      for (const a of accounts) expect(fake.maxConcurrent(a)).toBeLessThanOrEqual(2)
      expect(Math.max(...accounts.map((a) => fake.maxConcurrent(a)))).toBe(2)
      expect(fake.requestsTo(RESPONSES)).toHaveLength(24)
      // Every lease was given back.
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      try {
        await within(2000, async () => {
          const open = await client.query('select count(*)::int as n from stream_leases')
          return open.rows[0].n === 0
        })
      } finally {
        await client.end()
      }
    } finally {
      await r.close()
      await fake.close()
    }
  }, 120_000)
})

describe.each(PG)('the usage job across replicas ($name)', (dialect) => {
  it('moves to another replica within one interval when its holder is killed', async () => {
    const fake = await startFakeUpstream()
    const account = fake.addAccount({ email: 'polled@example.com' })
    const polls = () => fake.requestsTo('/backend-api/wham/usage').length
    const r = await startReplicas(0, await databaseUrl(dialect), fake, {
      CODEX_LB_USAGE_REFRESH_INTERVAL_SECONDS: '1',
      CODEX_LB_USAGE_FETCH_TIMEOUT_SECONDS: '60',
      CODEX_LB_USAGE_FETCH_MAX_RETRIES: '0',
    })
    try {
      await r.importAccounts(account)
      fake.setUsageDelay(60_000)
      await r.add()
      // The first replica is inside the job (its usage call hangs), holding the job's lock.
      await within(10_000, async () => polls() >= 1)
      await r.add()
      await new Promise((resolve) => setTimeout(resolve, 2500))
      expect(polls()).toBe(1)
      fake.setUsageDelay(0)
      r.servers[0]!.child.kill('SIGKILL')
      const took = await within(5000, async () => polls() >= 2)
      expect(took).toBeLessThan(2500)
    } finally {
      await r.close()
      await fake.close()
    }
  }, 120_000)
})
