import { afterEach, describe, expect, it } from 'vitest'
import { insertRequestLogs } from '../../src/modules/request-logs/index.js'
import { DashboardClient } from '../support/dashboard-client.js'
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai.js'
import { usageLimitReached } from '../support/fake-upstream.js'
import { dialects } from '../support/dialects.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'

const DIALECTS = await dialects()

// /api/overflow-upstreams (dashboard CRUD, 422s naming the field) and the overflow key's secrecy.

const LOG_ROW = {
  account_id: null,
  api_key_id: null,
  request_id: 'req-1',
  requested_at: Date.now(),
  endpoint: '/v1/responses',
  model: 'gpt-5.5',
  reasoning_effort: null,
  status: 'success' as const,
  http_status: 200,
  error_code: null,
  error_message: null,
  input_tokens: 1,
  cached_input_tokens: 0,
  output_tokens: 1,
  reasoning_tokens: 0,
  cost_usd: 0,
  latency_ms: 1,
  ttfb_ms: 1,
}

describe('overflow upstreams: dashboard CRUD and secrecy', () => {
  let h: ProxyHarness | undefined
  let openai: FakeOpenAi | undefined
  afterEach(async () => {
    await h?.close()
    await openai?.close()
    h = openai = undefined
  })

  it.each(DIALECTS)(
    '($name) creates, lists, edits and deletes; the key is stored encrypted, only its prefix returned',
    async (dialect) => {
      openai = await startFakeOpenAi()
      h = await startProxyHarness(
        dialect.name === 'sqlite' ? {} : { database: await dialect.make('') },
      )
      const api = new DashboardClient(h.t.url)
      const created = await api.post('/api/overflow-upstreams', {
        name: 'openai',
        base_url: `${openai.baseUrl}/`,
        api_key: openai.apiKey,
        models: [{ model: 'gpt-5.5', upstreamModel: 'gpt-5.1' }],
        outputPrice: 10,
      })
      expect(created.status).toBe(201)
      // A served request, so the log join runs on this dialect too (rows go in with their rollups).
      await insertRequestLogs(h.t.database.db, [
        { ...LOG_ROW, overflow_upstream_id: created.body.id },
      ])
      const logs = await api.get('/api/request-logs?limit=5')
      expect(logs.body.requests[0]).toMatchObject({ overflowUpstreamName: 'openai' })
      expect(created.body).toMatchObject({
        name: 'openai',
        baseUrl: openai.baseUrl,
        apiKeyPrefix: 'sk-overflo…',
        models: [{ model: 'gpt-5.5', upstreamModel: 'gpt-5.1' }],
        inputPrice: null,
        outputPrice: 10,
        source: 'dashboard',
        cooldownUntil: null,
      })
      const id = created.body.id as string
      const row = await h.t.database.db
        .selectFrom('overflow_upstreams')
        .selectAll()
        .executeTakeFirstOrThrow()
      expect(row.api_key_enc).not.toContain(openai.apiKey)
      expect(h.t.cipher.decrypt(row.api_key_enc)).toBe(openai.apiKey)

      const edited = await api.patch(`/api/overflow-upstreams/${id}`, {
        name: 'renamed',
        models: [],
      })
      expect(edited.body).toMatchObject({ name: 'renamed', models: [], outputPrice: 10 })
      const list = await api.get('/api/overflow-upstreams')
      expect(list.body.map((u: { name: string }) => u.name)).toEqual(['renamed'])
      expect(JSON.stringify(list.body)).not.toContain(openai.apiKey)
      expect((await api.delete(`/api/overflow-upstreams/${id}`)).status).toBe(204)
      expect((await api.delete(`/api/overflow-upstreams/${id}`)).status).toBe(404)
      expect((await api.get('/api/overflow-upstreams')).body).toEqual([])
    },
  )

  it('answers 422 naming the field for bad input, an unreachable URL and a rejected key', async () => {
    openai = await startFakeOpenAi()
    h = await startProxyHarness()
    const api = new DashboardClient(h.t.url)
    const good = { name: 'x', baseUrl: openai.baseUrl, apiKey: openai.apiKey }
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...good, name: '  ' }, 'name'],
      [{ ...good, baseUrl: 'ftp://example.com' }, 'baseUrl'],
      [{ ...good, baseUrl: 'not a url' }, 'baseUrl'],
      [{ ...good, inputPrice: -1 }, 'inputPrice'],
      [{ ...good, models: [{ model: '' }] }, 'models[0].model'],
      [{ ...good, baseUrl: 'http://127.0.0.1:9/v1' }, 'baseUrl'],
      [{ ...good, apiKey: 'sk-wrong-key-000000000000' }, 'apiKey'],
    ]
    for (const [body, field] of cases) {
      const res = await api.post('/api/overflow-upstreams', body)
      expect(res.status, field).toBe(422)
      expect(res.body.error.code).toBe('validation_error')
      expect(res.body.error.message).toContain(field)
      expect(JSON.stringify(res.body)).not.toContain('sk-wrong-key')
    }
    expect((await api.get('/api/overflow-upstreams')).body).toEqual([])
    const mode = await api.put('/api/settings', {
      stickyThreadsEnabled: true,
      preferEarlierResetAccounts: false,
      overflowMode: 'sometimes',
    })
    expect(mode.status).toBe(422)
    expect(mode.body.error.message).toContain('overflowMode')
  })

  it('lists the environment upstream read-only and uses CODEX_LB_OVERFLOW_MODE as the default', async () => {
    openai = await startFakeOpenAi()
    h = await startProxyHarness({
      env: {
        OVERFLOW_BASE_URL: openai.baseUrl,
        OVERFLOW_API_KEY: openai.apiKey,
        OVERFLOW_MODE: 'exhausted',
      },
    })
    const api = new DashboardClient(h.t.url)
    expect((await api.get('/api/settings')).body.overflowMode).toBe('exhausted')
    const list = await api.get('/api/overflow-upstreams')
    expect(list.body).toMatchObject([{ id: 'env', source: 'env', baseUrl: openai.baseUrl }])
    expect((await api.patch('/api/overflow-upstreams/env', { name: 'x' })).status).toBe(409)
    // No account at all: overflow serves.
    const res = await h.sdk().responses.create({ model: 'gpt-5.5', input: 'hi' })
    expect(res.output_text).toBe('Hello from the overflow API.')
    const saved = await api.put('/api/settings', {
      stickyThreadsEnabled: true,
      preferEarlierResetAccounts: false,
      overflowMode: 'off',
    })
    expect(saved.body.overflowMode).toBe('off')
    const off = await fetch(`${h.t.url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-5.5', input: 'hi' }),
    })
    expect(off.status).toBe(503)
  })

  it('never shows the overflow key in trace logs, answers or the request log, even when it is rejected', async () => {
    openai = await startFakeOpenAi()
    const wrongKey = 'sk-env-wrong-key-abcdefghijklmnop'
    const lines: string[] = []
    h = await startProxyHarness({
      env: {
        LOG_LEVEL: 'trace',
        OVERFLOW_BASE_URL: openai.baseUrl,
        OVERFLOW_API_KEY: wrongKey,
        OVERFLOW_MODE: 'exhausted',
      },
      logStream: { write: (line) => void lines.push(line) },
    })
    const api = new DashboardClient(h.t.url)
    const good = await api.post('/api/overflow-upstreams', {
      name: 'good',
      baseUrl: openai.baseUrl,
      apiKey: openai.apiKey,
    })
    expect(good.status).toBe(201)
    const a = await h.addAccount({ email: 'a@example.com' })
    h.fake.script(a, usageLimitReached())
    const answers: string[] = []
    // The environment's upstream answers 401 (echoing a masked key); the dashboard's one serves.
    for (const stream of [false, true]) {
      const res = await fetch(`${h.t.url}/v1/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-5.5', input: 'hi', stream }),
      })
      expect(res.status).toBe(200)
      answers.push(await res.text())
    }
    // Every overflow upstream fails now: the answer is still clear and keyless.
    openai.failAlways({ kind: 'http', status: 401 })
    const failed = await fetch(`${h.t.url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-5.5', input: 'hi' }),
    })
    expect(failed.status).toBe(429)
    answers.push(await failed.text())
    answers.push(JSON.stringify((await api.get('/api/overflow-upstreams')).body))
    answers.push(JSON.stringify((await api.get('/api/request-logs?limit=100')).body))
    const rows = JSON.stringify(await h.logs())
    expect(rows).toContain('"error_code":"invalid_api_key"')
    for (const text of [...lines, ...answers, rows]) {
      for (const secret of [wrongKey, openai.apiKey, wrongKey.slice(-4)]) {
        expect(text).not.toContain(secret)
      }
    }
    expect(lines.length).toBeGreaterThan(10)
  })
})
