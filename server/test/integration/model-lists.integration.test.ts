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
    // On pro, whose plan can use every model of the fake list: plan filtering is tested elsewhere.
    await h.addAccount({ email: 'models@example.com', planType: 'pro' })
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

  it('GET /models/{id} answers the listed entry, or 404 model_not_found for any other id', async () => {
    for (const surface of ['/v1', '/backend-api/codex']) {
      const list = (await (await fetch(`${h.t.url}${surface}/models`)).json()) as {
        data: Array<Record<string, unknown>>
      }
      const res = await fetch(`${h.t.url}${surface}/models/gpt-5.5`)
      expect(res.status, surface).toBe(200)
      const model = (await res.json()) as Record<string, unknown>
      expect(Object.keys(model).sort()).toEqual(['created', 'id', 'metadata', 'object', 'owned_by'])
      expect({ ...model, created: 0 }).toEqual({
        ...list.data.find((m) => m['id'] === 'gpt-5.5'),
        created: 0,
      })
      // Unknown, and known upstream but not offered through the API: the same 404.
      for (const id of ['no-such-model', HIDDEN]) {
        const missing = await fetch(`${h.t.url}${surface}/models/${id}`)
        expect(missing.status, `${surface} ${id}`).toBe(404)
        expect(await missing.json()).toEqual({
          error: {
            message: `The model \`${id}\` does not exist or you do not have access to it.`,
            type: 'invalid_request_error',
            code: 'model_not_found',
            param: 'model',
          },
        })
      }
    }
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
      // Retrieving follows the same list: a model outside the key's allow-list is not found.
      const retrieve = async (id: string) =>
        (
          await fetch(`${h.t.url}/v1/models/${id}`, {
            headers: { authorization: `Bearer ${restricted.body.key}` },
          })
        ).status
      expect(await retrieve('gpt-5.5')).toBe(200)
      expect(await retrieve('gpt-5-codex')).toBe(404)
      expect((await fetch(`${h.t.url}/v1/models/gpt-5.5`)).status).toBe(401)
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
