import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dialects } from '../support/dialects.js'
import { DashboardClient } from '../support/dashboard-client.js'
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream.js'
import { startReplicas, within, type Replicas } from '../support/replicas.js'

// Each replica keeps accepted keys and their rules in memory for the proxy: a change made through
// one replica must reach the others' caches at once (the cluster bus), not after the cache time
// (5 s): the 3 s allowed below only leave room for a loaded machine.

const PG = (await dialects()).filter((d) => d.name === 'postgres')

async function respond(url: string, key: string) {
  const res = await fetch(`${url}/v1/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ model: 'gpt-5.5', input: 'hi' }),
  })
  await res.text()
  return res.status
}

describe.each(PG)('API keys cached on two replicas ($name)', (dialect) => {
  let fake: FakeUpstream
  let r: Replicas
  beforeAll(async () => {
    fake = await startFakeUpstream()
    const database = await dialect.make('')
    if (database.kind !== 'postgres') throw new Error('PostgreSQL only')
    r = await startReplicas(2, database.url, fake, { CODEX_LB_USAGE_REFRESH_ENABLED: 'false' })
    await r.importAccounts(fake.addAccount({ email: 'one@example.com' }))
    const saved = await new DashboardClient(r.urls[0]!).put('/api/settings', {
      stickyThreadsEnabled: false,
      preferEarlierResetAccounts: false,
      apiKeyAuthEnabled: true,
    })
    expect(saved.status).toBe(200)
  }, 120_000)
  afterAll(async () => {
    await r?.close()
    await fake?.close()
  })

  it('a rule added, a key regenerated or turned off on one replica is obeyed by the other before its cache would expire', async () => {
    const admin = new DashboardClient(r.urls[0]!)
    const other = r.urls[1]!
    const created = (await admin.post('/api/api-keys/', { name: 'k', limits: [] })).body as {
      id: string
      key: string
    }
    // The other replica has the key and its (empty) rules cached from here on.
    await within(3000, async () => (await respond(other, created.key)) === 200)
    // A rule of one token: spent by the first request that reserves against it.
    const limits = [{ limitType: 'total_tokens', limitWindow: 'daily', maxValue: 1 }]
    expect((await admin.patch(`/api/api-keys/${created.id}`, { limits })).status).toBe(200)
    const ruled = await within(3000, async () => (await respond(other, created.key)) === 429)
    expect((await admin.patch(`/api/api-keys/${created.id}`, { limits: [] })).status).toBe(200)
    const regenerated = (await admin.post(`/api/api-keys/${created.id}/regenerate`)).body as {
      key: string
    }
    const revoked = await within(3000, async () => (await respond(other, created.key)) === 401)
    expect(await respond(other, regenerated.key)).toBe(200)
    const off = await admin.patch(`/api/api-keys/${created.id}`, { isActive: false })
    expect(off.status).toBe(200)
    const deactivated = await within(
      3000,
      async () => (await respond(other, regenerated.key)) === 401,
    )
    console.log(
      `[api-key replicas] rule ${ruled} ms, regenerate ${revoked} ms, off ${deactivated} ms`,
    )
  })
})
