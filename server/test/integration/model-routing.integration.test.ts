import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DashboardClient } from '../support/dashboard-client.js'
import type { FakeAccount } from '../support/fake-upstream.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'

const UPSTREAM = '/backend-api/codex/responses'
const PRO_ONLY = 'gpt-pro-only'

const entry = (slug: string, extra: Record<string, unknown> = {}) => ({
  slug,
  display_name: slug,
  supported_in_api: true,
  priority: 1,
  ...extra,
})

// Issue 11 item 7: the upstream's model list says which plans can use a model; requests and model
// lists follow it. One plus and one pro account; one model only pro can use.
describe('model-aware routing', () => {
  let h: ProxyHarness
  let api: DashboardClient
  let plus: FakeAccount & { id: string }
  let pro: FakeAccount & { id: string }

  const ask = async (model: string, path = '/v1/responses', authorization?: string) => {
    const res = await fetch(`${h.t.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(authorization ? { authorization } : {}),
      },
      body: JSON.stringify({ model, input: 'hi', instructions: 'x', stream: false }),
    })
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions read arbitrary JSON
    const body = (await res.json()) as Record<string, any>
    return { status: res.status, body }
  }
  const listed = async (path: string, authorization?: string) => {
    const res = await fetch(`${h.t.url}${path}`, {
      headers: authorization ? { authorization } : {},
    })
    const body = (await res.json()) as {
      data: Array<{ id: string }>
      models?: Array<{ slug: string }>
    }
    return {
      data: body.data.map((m) => m.id).sort(),
      models: body.models?.map((m) => m.slug).sort(),
    }
  }
  const servedBy = (from: number) =>
    h.fake
      .requestsTo(UPSTREAM)
      .slice(from)
      .map((r) => r.account?.email)

  beforeAll(async () => {
    h = await startProxyHarness()
    plus = await h.addAccount({ email: 'plus@example.com', planType: 'plus' })
    pro = await h.addAccount({ email: 'pro@example.com', planType: 'pro' })
    api = new DashboardClient(h.t.url)
    h.fake.setModels([
      entry('gpt-5.5', { available_in_plans: ['plus', 'pro'] }),
      entry(PRO_ONLY, { available_in_plans: ['pro'] }),
      entry('gpt-any'),
    ])
    expect(await h.t.app.services.models.refresh(Date.now())).toBe(true)
  })
  afterAll(async () => h.close())

  it('routes a pro-only model only to the pro account; others use both', async () => {
    const start = h.fake.requestsTo(UPSTREAM).length
    for (let i = 0; i < 4; i++) expect((await ask(PRO_ONLY)).status).toBe(200)
    expect(servedBy(start)).toEqual(Array(4).fill(pro.email))
    const next = h.fake.requestsTo(UPSTREAM).length
    for (let i = 0; i < 4; i++) expect((await ask('gpt-any')).status).toBe(200)
    expect(new Set(servedBy(next))).toEqual(new Set([plus.email, pro.email]))
  })

  it('lists every model while the pro account is usable', async () => {
    const all = ['gpt-5.5', 'gpt-any', PRO_ONLY].sort()
    expect((await listed('/v1/models')).data).toEqual(all)
    expect(await listed('/backend-api/codex/models')).toEqual({ data: all, models: all })
    expect((await fetch(`${h.t.url}/v1/models/${PRO_ONLY}`)).status).toBe(200)
  })

  it('with the pro account paused: not listed, and a request is 400 model_not_available at once', async () => {
    expect((await api.post(`/api/accounts/${pro.id}/pause`)).status).toBe(200)
    try {
      const rest = ['gpt-5.5', 'gpt-any']
      expect((await listed('/v1/models')).data).toEqual(rest)
      expect(await listed('/backend-api/codex/models')).toEqual({ data: rest, models: rest })
      expect((await fetch(`${h.t.url}/backend-api/codex/models/${PRO_ONLY}`)).status).toBe(404)

      const start = h.fake.requestsTo(UPSTREAM).length
      for (const path of [
        '/v1/responses',
        '/backend-api/codex/responses',
        '/v1/responses/compact',
      ]) {
        const res = await ask(PRO_ONLY, path)
        expect(res.status, path).toBe(400)
        expect(res.body).toEqual({
          error: {
            message:
              'The model `gpt-pro-only` is not available on any usable account: it needs a pro plan, and the accounts this request may use are on plus.',
            type: 'invalid_request_error',
            code: 'model_not_available',
            param: 'model',
          },
        })
      }
      expect(h.fake.requestsTo(UPSTREAM).length).toBe(start)
      expect((await h.logs()).at(-1)).toMatchObject({
        account_id: null,
        model: PRO_ONLY,
        error_code: 'model_not_available',
      })
      // Models open to plus keep working on the plus account.
      expect((await ask('gpt-5.5')).status).toBe(200)
    } finally {
      await api.post(`/api/accounts/${pro.id}/reactivate`)
    }
  })

  it('a used-up pro account is waited for (429 with resets_at), not refused as unavailable', async () => {
    h.fake.limitAccount(pro, { planType: 'pro' })
    try {
      const first = await ask(PRO_ONLY)
      expect(first.status).toBe(429)
      const again = await ask(PRO_ONLY)
      expect(again.status).toBe(429)
      expect(again.body['error']).toMatchObject({ code: 'usage_limit_reached' })
      expect(again.body['error']['message']).toContain("1 account's plan cannot use this model")
      expect(again.body['error']['resets_at']).toEqual(expect.any(Number))
    } finally {
      h.fake.unlimitAccount(pro)
      await api.post(`/api/accounts/${pro.id}/reactivate`)
    }
  })

  it("follows an API key's accounts: a key kept on plus neither sees nor gets the pro-only model", async () => {
    const { body: key } = await api.post('/api/api-keys/', {
      name: 'plus only',
      allowedAccountIds: [plus.id],
    })
    await h.requireApiKey()
    const auth = `Bearer ${key.key}`
    expect((await listed('/v1/models', auth)).data).toEqual(['gpt-5.5', 'gpt-any'])
    const res = await ask(PRO_ONLY, '/v1/responses', auth)
    expect(res.status).toBe(400)
    expect(res.body['error']).toMatchObject({ code: 'model_not_available', param: 'model' })
  })
})
