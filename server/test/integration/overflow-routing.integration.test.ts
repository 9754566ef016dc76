import { afterEach, describe, expect, it } from 'vitest'
import { DashboardClient } from '../support/dashboard-client.js'
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai.js'
import { usageLimitReached } from '../support/fake-upstream.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'

// Overflow to an OpenAI-compatible API (issue 11 item 5) over real HTTP: codex-lb in front of the
// ChatGPT-backend fake (the accounts) and a fake of the public OpenAI API (the overflow upstream).

interface Setup {
  h: ProxyHarness
  openai: FakeOpenAi
  api: DashboardClient
  upstreamId: string
}

async function setup(
  mode: 'exhausted' | 'always',
  models: Array<{ model: string; upstreamModel?: string }> = [],
  accounts = 4,
): Promise<Setup> {
  const openai = await startFakeOpenAi()
  const h = await startProxyHarness()
  for (let i = 0; i < accounts; i++) await h.addAccount({ email: `acct${i}@example.com` })
  const api = new DashboardClient(h.t.url)
  const created = await api.post('/api/overflow-upstreams', {
    name: 'openai-direct',
    baseUrl: openai.baseUrl,
    apiKey: openai.apiKey,
    models,
    inputPrice: 2,
    cachedInputPrice: 0.5,
    outputPrice: 10,
  })
  expect(created.status).toBe(201)
  const saved = await api.put('/api/settings', {
    stickyThreadsEnabled: false,
    preferEarlierResetAccounts: false,
    overflowMode: mode,
  })
  expect(saved.body.overflowMode).toBe(mode)
  return { h, openai, api, upstreamId: created.body.id as string }
}

function post(
  h: ProxyHarness,
  body: Record<string, unknown>,
  path = '/v1/responses',
  key?: string,
) {
  return fetch(`${h.t.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    },
    body: JSON.stringify(body),
  })
}

const responsesTo = (o: FakeOpenAi, path = '/v1/responses') =>
  o.requests.filter((r) => r.path === path)

describe('overflow to an OpenAI-compatible API', () => {
  let s: Setup | undefined
  afterEach(async () => {
    await s?.h.close()
    await s?.openai.close()
    s = undefined
  })

  it('takes over when every account answers 429 and hands back when one recovers', async () => {
    s = await setup('exhausted')
    const { h, openai } = s
    for (const account of h.fake.accounts()) h.fake.script(account, usageLimitReached())
    // PROXY_MAX_ATTEMPTS is 3: the first request uses up three accounts, then overflow serves it.
    for (let i = 0; i < 2; i++) {
      const res = await post(h, { model: 'gpt-5.5', input: 'hi' })
      expect(res.status).toBe(200)
      const body = (await res.json()) as { output: Array<{ content: Array<{ text: string }> }> }
      expect(body.output[0]!.content[0]!.text).toBe('Hello from the overflow API.')
    }
    const sent = responsesTo(openai)
    expect(sent).toHaveLength(2)
    expect(sent[0]!.headers.authorization).toBe(`Bearer ${openai.apiKey}`)
    // Nothing of the ChatGPT backend's identity goes to the public API.
    expect(sent[0]!.headers['chatgpt-account-id']).toBeUndefined()
    expect(sent[0]!.body).toMatchObject({ model: 'gpt-5.5', stream: true })

    const rows = await h.logs()
    const served = rows.filter((r) => r['overflow_upstream_id'] === s!.upstreamId)
    expect(served).toHaveLength(2)
    // 100 uncached × $2 + 20 cached × $0.5 + 30 output × $10, per million.
    expect(served[0]).toMatchObject({
      account_id: null,
      status: 'success',
      input_tokens: 120,
      cached_input_tokens: 20,
      output_tokens: 30,
    })
    expect(served[0]!['cost_usd']).toBeCloseTo((100 * 2 + 20 * 0.5 + 30 * 10) / 1e6, 9)
    const page = await s.api.get('/api/request-logs?limit=10')
    const entry = page.body.requests.find((r: Record<string, unknown>) => r['overflowUpstreamId'])
    expect(entry).toMatchObject({ accountId: null, overflowUpstreamName: 'openai-direct' })

    // The poll sees one account's window reset: the pool serves again, overflow stays idle.
    const [first] = h.fake.accounts()
    h.fake.script(first!, { kind: 'ok', text: 'back on the subscription' })
    await h.t.database.db
      .updateTable('accounts')
      .set({ status: 'active', reset_at: null })
      .where('email', '=', 'acct0@example.com')
      .execute()
    h.t.app.services.pool.invalidate()
    const back = await post(h, { model: 'gpt-5.5', input: 'hi', stream: true })
    expect(await back.text()).toContain('back on the subscription')
    expect(responsesTo(openai)).toHaveLength(2)
  })

  it('always: a model named on the upstream goes there first, renamed; other models stay on accounts', async () => {
    s = await setup('always', [{ model: 'gpt-5.5', upstreamModel: 'gpt-5.1' }], 2)
    const { h, openai } = s
    const res = await post(
      h,
      { model: 'gpt-5.5', input: 'hi', stream: true },
      '/backend-api/codex/responses',
    )
    expect(res.status).toBe(200)
    const text = await res.text()
    // The upstream's SSE goes through byte for byte: the Codex CLI reads the same events.
    expect(text).toContain('event: response.output_text.delta')
    expect(text).toContain('Hello from the overflow API.')
    expect(responsesTo(openai)[0]!.body).toMatchObject({ model: 'gpt-5.1' })
    expect(h.fake.requestsTo('/backend-api/codex/responses')).toHaveLength(0)

    const other = await post(h, { model: 'gpt-5.4', input: 'hi' })
    expect(other.status).toBe(200)
    expect(h.fake.requestsTo('/backend-api/codex/responses')).toHaveLength(1)
    expect(responsesTo(openai)).toHaveLength(1)
  })

  it('serves the openai SDK (Responses and Chat Completions, streamed and not) through overflow', async () => {
    s = await setup('always', [{ model: 'gpt-5.5' }], 1)
    const sdk = s.h.sdk()
    const r = await sdk.responses.create({ model: 'gpt-5.5', input: 'hi' })
    expect(r.output_text).toBe('Hello from the overflow API.')
    const stream = await sdk.responses.create({ model: 'gpt-5.5', input: 'hi', stream: true })
    let streamed = ''
    for await (const e of stream) if (e.type === 'response.output_text.delta') streamed += e.delta
    expect(streamed).toBe('Hello from the overflow API.')
    const chat = await sdk.chat.completions.create({
      model: 'gpt-5.5',
      messages: [{ role: 'user', content: 'hi' }],
    })
    expect(chat.choices[0]!.message.content).toBe('Hello from the overflow API.')
    expect(chat.usage).toMatchObject({ prompt_tokens: 120, completion_tokens: 30 })
    const chunks = await sdk.chat.completions.create({
      model: 'gpt-5.5',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    })
    let content = ''
    for await (const c of chunks) content += c.choices[0]?.delta.content ?? ''
    expect(content).toBe('Hello from the overflow API.')
    expect(responsesTo(s.openai)).toHaveLength(4)
    expect(s.h.fake.requestsTo('/backend-api/codex/responses')).toHaveLength(0)
  })

  it('applies API-key limits to overflow requests', async () => {
    s = await setup('always', [{ model: 'gpt-5.5' }], 1)
    const key = await s.api.post('/api/api-keys/', {
      name: 'capped',
      limits: [{ limitType: 'total_tokens', limitWindow: 'daily', maxValue: 100 }],
    })
    await s.api.put('/api/settings', {
      stickyThreadsEnabled: false,
      preferEarlierResetAccounts: false,
      apiKeyAuthEnabled: true,
    })
    const first = await post(s.h, { model: 'gpt-5.5', input: 'hi' }, '/v1/responses', key.body.key)
    expect(first.status).toBe(200)
    // 150 tokens settled against a 100-token daily limit: the next request is refused.
    const second = await post(s.h, { model: 'gpt-5.5', input: 'hi' }, '/v1/responses', key.body.key)
    expect(second.status).toBe(429)
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe(
      'rate_limit_exceeded',
    )
    expect(responsesTo(s.openai)).toHaveLength(1)
  })

  it('a failing overflow upstream fails over to the next, cools down, and ends in a clear error', async () => {
    s = await setup('exhausted', [], 2)
    const { h, openai, api } = s
    const backup = await startFakeOpenAi()
    try {
      const created = await api.post('/api/overflow-upstreams', {
        name: 'backup',
        baseUrl: backup.baseUrl,
        apiKey: backup.apiKey,
      })
      expect(created.status).toBe(201)
      for (const account of h.fake.accounts()) h.fake.script(account, usageLimitReached())
      openai.failAlways({ kind: 'http', status: 500 })
      const res = await post(h, { model: 'gpt-5.5', input: 'hi' })
      expect(res.status).toBe(200)
      expect(responsesTo(backup)).toHaveLength(1)
      // The first one cools down: the next request goes straight to the backup.
      const list = await api.get('/api/overflow-upstreams')
      const failing = list.body.find((u: { id: string }) => u.id === s!.upstreamId)
      expect(failing.cooldownUntil).not.toBeNull()
      expect((await post(h, { model: 'gpt-5.5', input: 'hi' })).status).toBe(200)
      expect(responsesTo(openai)).toHaveLength(1)

      backup.failAlways({ kind: 'drop' })
      const failed = await post(h, { model: 'gpt-5.5', input: 'hi' })
      // The pool's own answer (all used up), saying what overflow did: never a 500.
      expect(failed.status).toBe(429)
      const { error } = (await failed.json()) as { error: { code: string; message: string } }
      expect(error.code).toBe('usage_limit_reached')
      expect(error.message).toMatch(/Overflow upstream 'backup' failed \(upstream_unavailable\)/)
      const rows = await h.logs()
      expect(rows.at(-1)).toMatchObject({ account_id: null, error_code: 'upstream_unavailable' })
    } finally {
      await backup.close()
    }
  })

  it('serves a model no account plan can use when overflow allows it, instead of the 400', async () => {
    s = await setup('exhausted', [], 1)
    s.h.fake.setModels([
      {
        slug: 'gpt-pro-only',
        display_name: 'pro',
        supported_in_api: true,
        priority: 1,
        available_in_plans: ['pro'],
      },
    ])
    expect(await s.h.t.app.services.models.refresh(Date.now())).toBe(true)
    const res = await post(s.h, { model: 'gpt-pro-only', input: 'hi' })
    expect(res.status).toBe(200)
    expect(responsesTo(s.openai)).toHaveLength(1)
    expect(s.h.fake.requestsTo('/backend-api/codex/responses')).toHaveLength(0)
    // With overflow off the same request is the 400 naming the model.
    await s.api.put('/api/settings', {
      stickyThreadsEnabled: false,
      preferEarlierResetAccounts: false,
      overflowMode: 'off',
    })
    const refused = await post(s.h, { model: 'gpt-pro-only', input: 'hi' })
    expect(refused.status).toBe(400)
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
      'model_not_available',
    )
  })
})
