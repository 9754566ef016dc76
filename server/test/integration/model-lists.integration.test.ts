import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DashboardClient } from '../support/dashboard-client.js'
import { defaultModels } from '../support/fake-upstream.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'

// Seed 002 §8: one predicate (`isPublicModel`) filters /v1/models, /backend-api/codex/models and
// /api/models, over a registry snapshot that holds a model not supported in the API.
const HIDDEN = 'codex-auto-review'

describe('model lists share one predicate (seed 002 §8)', () => {
  let h: ProxyHarness
  let api: DashboardClient

  beforeAll(async () => {
    h = await startProxyHarness()
    await h.addAccount({ email: 'models@example.com' })
    api = new DashboardClient(h.t.url)
    expect(await h.t.app.services.models.refresh(Date.now())).toBe(true)
    const snapshot = defaultModels() as Array<{ slug: string; supported_in_api: boolean }>
    expect(snapshot.find((m) => m.slug === HIDDEN)?.supported_in_api).toBe(false)
  })
  afterAll(async () => h.close())

  async function proxyLists(authorization?: string) {
    const headers: Record<string, string> = authorization ? { authorization } : {}
    const v1 = (await (await fetch(`${h.t.url}/v1/models`, { headers })).json()) as {
      data: Array<{ id: string }>
    }
    const codex = (await (
      await fetch(`${h.t.url}/backend-api/codex/models`, { headers })
    ).json()) as { data: Array<{ id: string }>; models: Array<{ slug: string }> }
    return {
      v1: v1.data.map((m) => m.id).sort(),
      codexData: codex.data.map((m) => m.id).sort(),
      codexModels: codex.models.map((m) => m.slug).sort(),
    }
  }
  const dashboardList = async () =>
    ((await api.get('/api/models')).body.models as Array<{ id: string }>).map((m) => m.id).sort()

  it('hides unsupported models on every list, and the three lists agree (§8.3, §8.4, §8.6)', async () => {
    const expected = (defaultModels() as Array<{ slug: string; supported_in_api: boolean }>)
      .filter((m) => m.supported_in_api)
      .map((m) => m.slug)
      .sort()
    const lists = await proxyLists()
    expect(lists.v1).toEqual(expected)
    expect(lists.codexData).toEqual(expected)
    expect(lists.codexModels).toEqual(expected)
    expect(await dashboardList()).toEqual(expected)
    expect(lists.v1).not.toContain(HIDDEN)
  })

  it('a key that allows an unsupported model by name still does not see it (§8.5)', async () => {
    const restricted = await api.post('/api/api-keys/', {
      name: 'restricted',
      allowedModels: [HIDDEN, 'gpt-5.5'],
    })
    const unrestricted = await api.post('/api/api-keys/', { name: 'all', allowedModels: [] })
    await api.put('/api/settings', {
      stickyThreadsEnabled: true,
      preferEarlierResetAccounts: false,
      apiKeyAuthEnabled: true,
    })
    try {
      expect(await proxyLists(`Bearer ${restricted.body.key}`)).toEqual({
        v1: ['gpt-5.5'],
        codexData: ['gpt-5.5'],
        codexModels: ['gpt-5.5'],
      })
      // An empty allow-list means every model: the same set as /api/models.
      const all = await proxyLists(`Bearer ${unrestricted.body.key}`)
      expect(all.v1).toEqual(await dashboardList())
      expect(all.codexData).toEqual(all.v1)
    } finally {
      await api.put('/api/settings', {
        stickyThreadsEnabled: true,
        preferEarlierResetAccounts: false,
        apiKeyAuthEnabled: false,
      })
    }
  })
})
