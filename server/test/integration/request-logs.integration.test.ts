import { requestLogOptionsSchema, requestLogsPageSchema } from '@codex-lb/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requestLogsPageSchema as serverPageSchema } from '../../src/modules/request-logs/index.js'
import { DashboardClient, startDialectApp } from '../support/dashboard-client.js'
import { dialects } from '../support/dialects.js'
import { insertAccount, insertLogs, logRow } from '../support/log-rows.js'
import type { TestApp } from '../support/test-app.js'

const DIALECTS = await dialects()
const T0 = Date.UTC(2026, 10, 20, 10, 0, 0)
const at = (seconds: number) => T0 + seconds * 1000
const iso = (seconds: number) => new Date(at(seconds)).toISOString()

/** Eight rows, one second apart (r1 oldest); r7 names an account that no longer exists. */
const ROWS = [
  logRow({
    request_id: 'r1',
    requested_at: at(1),
    account_id: 'acc-a',
    api_key_id: 'key-1',
    model: 'gpt-5.1',
    reasoning_effort: 'high',
    input_tokens: 100,
    output_tokens: 50,
    cached_input_tokens: 200,
    reasoning_tokens: 10,
    cost_usd: 0.0012345678,
    latency_ms: 1234,
    ttfb_ms: 321,
  }),
  logRow({
    request_id: 'r2',
    requested_at: at(2),
    account_id: 'acc-a',
    status: 'error',
    error_code: 'rate_limit_exceeded',
    error_message: 'Slow down',
  }),
  logRow({
    request_id: 'r3',
    requested_at: at(3),
    account_id: 'acc-b',
    status: 'error',
    error_code: 'usage_limit_reached',
  }),
  logRow({
    request_id: 'r4',
    requested_at: at(4),
    account_id: 'acc-b',
    status: 'error',
    error_code: 'insufficient_quota',
    model: 'gpt-5',
  }),
  logRow({
    request_id: 'r5',
    requested_at: at(5),
    account_id: 'acc-b',
    status: 'error',
    error_code: 'upstream_error',
    error_message: 'Upstream said 100% broken',
    reasoning_effort: 'low',
  }),
  logRow({ request_id: 'r6', requested_at: at(6), account_id: 'acc-b', status: 'error' }),
  logRow({
    request_id: 'r7',
    requested_at: at(7),
    account_id: 'acc-gone',
    model: 'gpt-5',
    input_tokens: 5,
    reasoning_tokens: 4,
  }),
  logRow({ request_id: 'r8', requested_at: at(8), account_id: 'acc-a', model: 'gpt-5' }),
]

const ids = (body: { requests: Array<{ requestId: string }> }) =>
  body.requests.map((r) => r.requestId)

for (const dialect of DIALECTS) {
  describe(`GET /api/request-logs (${dialect.name})`, () => {
    let t: TestApp
    let api: DashboardClient

    beforeAll(async () => {
      t = await startDialectApp(dialect)
      api = new DashboardClient(t.url)
      await insertAccount(t.database.db, { id: 'acc-a', email: 'alice@example.com' })
      await insertAccount(t.database.db, { id: 'acc-b', email: 'Bob@Example.com' })
      await insertLogs(t.database.db, ROWS)
    })
    afterAll(async () => t.close())

    it('pages newest first with every field, explicit nulls and Z datetimes', async () => {
      const res = await api.get('/api/request-logs')
      expect(res.status).toBe(200)
      expect(requestLogsPageSchema.parse(res.body)).toBeTruthy()
      expect(serverPageSchema.strict().parse(res.body)).toBeTruthy()
      expect(ids(res.body)).toEqual(['r8', 'r7', 'r6', 'r5', 'r4', 'r3', 'r2', 'r1'])
      expect(res.body.total).toBe(8)
      expect(res.body.hasMore).toBe(false)
      expect(res.body.requests.at(-1)).toEqual({
        id: expect.any(Number),
        requestedAt: iso(1),
        accountId: 'acc-a',
        accountEmail: 'alice@example.com',
        accountDeleted: false,
        apiKeyId: 'key-1',
        requestId: 'r1',
        model: 'gpt-5.1',
        status: 'ok',
        errorCode: null,
        errorMessage: null,
        tokens: 150,
        inputTokens: 100,
        outputTokens: 50,
        cachedInputTokens: 100,
        reasoningTokens: 10,
        reasoningEffort: 'high',
        costUsd: 0.001235,
        latencyMs: 1234,
        ttfbMs: 321,
        endpoint: '/v1/responses',
        overflowUpstreamId: null,
        overflowUpstreamName: null,
        clientIp: null,
        userAgent: null,
      })
      for (const r of res.body.requests) expect(r.requestedAt).toMatch(/Z$/)
    })

    it('maps statuses and shows rows of a deleted account as such', async () => {
      const res = await api.get('/api/request-logs')
      const byId = new Map(res.body.requests.map((r: { requestId: string }) => [r.requestId, r]))
      expect(
        ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'].map(
          (id) => (byId.get(id) as { status: string }).status,
        ),
      ).toEqual(['ok', 'rate_limit', 'rate_limit', 'quota', 'error', 'error'])
      expect(byId.get('r7')).toMatchObject({
        accountId: 'acc-gone',
        accountEmail: null,
        accountDeleted: true,
        // No output count: reasoning tokens stand in for it.
        tokens: 9,
      })
      expect(byId.get('r6')).toMatchObject({ tokens: null, costUsd: null, cachedInputTokens: null })
    })

    it('counts past the last page and says whether more follow', async () => {
      const first = await api.get('/api/request-logs?limit=3')
      expect(ids(first.body)).toEqual(['r8', 'r7', 'r6'])
      expect(first.body).toMatchObject({ total: 8, hasMore: true })
      const last = await api.get('/api/request-logs?limit=3&offset=6')
      expect(ids(last.body)).toEqual(['r2', 'r1'])
      expect(last.body).toMatchObject({ total: 8, hasMore: false })
      const past = await api.get('/api/request-logs?limit=3&offset=50')
      expect(past.body).toEqual({ requests: [], total: 8, hasMore: false })
    })

    it('filters by status buckets (OR-ed; all means no filter, unknown is a 422)', async () => {
      const q = async (query: string) => ids((await api.get(`/api/request-logs?${query}`)).body)
      expect(await q('status=rate_limit&status=quota')).toEqual(['r4', 'r3', 'r2'])
      expect(await q('status=error')).toEqual(['r6', 'r5'])
      expect(await q('status=ok')).toEqual(['r8', 'r7', 'r1'])
      expect(await q('status=all')).toHaveLength(8)
      expect((await api.get('/api/request-logs?status=bogus')).status).toBe(422)
      const filtered = await api.get('/api/request-logs?status=quota&limit=1')
      expect(filtered.body).toMatchObject({ total: 1, hasMore: false })
    })

    it('filters by accounts, model, effort and model options', async () => {
      const q = async (query: string) => ids((await api.get(`/api/request-logs?${query}`)).body)
      expect(await q('accountId=acc-gone&accountId=acc-a')).toEqual(['r8', 'r7', 'r2', 'r1'])
      expect(await q('model=gpt-5')).toEqual(['r8', 'r7', 'r4'])
      expect(await q('reasoningEffort=low')).toEqual(['r5'])
      expect(await q('model=gpt-5.1&reasoningEffort=high')).toEqual(['r1'])
      expect(await q(`modelOption=${encodeURIComponent('gpt-5.1:::high')}`)).toEqual(['r1'])
      // An empty effort (or no delimiter) selects rows without one; model options override `model`.
      expect(await q(`modelOption=${encodeURIComponent('gpt-5:::')}&model=gpt-5.1`)).toEqual([
        'r8',
        'r7',
        'r4',
      ])
      expect(
        await q(`modelOption=${encodeURIComponent('gpt-5.1:::low')}&modelOption=gpt-5`),
      ).toEqual(['r8', 'r7', 'r5', 'r4'])
    })

    it('filters by an inclusive time range given as ISO datetimes', async () => {
      const q = async (query: string) => ids((await api.get(`/api/request-logs?${query}`)).body)
      expect(await q(`since=${iso(3)}&until=${iso(5)}`)).toEqual(['r5', 'r4', 'r3'])
      // Without an offset the time is UTC; with one it is honoured.
      expect(await q(`since=${iso(7).replace('Z', '')}`)).toEqual(['r8', 'r7'])
      const plusTwo = new Date(at(8) + 2 * 3_600_000).toISOString().replace('Z', '+02:00')
      expect(await q(`since=${encodeURIComponent(plusTwo)}`)).toEqual(['r8'])
    })

    it('searches ids, email, model, error text and numbers, case-insensitively', async () => {
      const q = async (search: string) =>
        ids((await api.get(`/api/request-logs?search=${encodeURIComponent(search)}`)).body)
      expect(await q('bob@EXAMPLE')).toEqual(['r6', 'r5', 'r4', 'r3'])
      expect(await q('R7')).toEqual(['r7'])
      expect(await q('slow down')).toEqual(['r2'])
      expect(await q('INSUFFICIENT')).toEqual(['r4'])
      expect(await q('1234')).toEqual(['r1'])
      // LIKE wildcards are text: `100%` matches the message, not everything.
      expect(await q('100%')).toEqual(['r5'])
      expect(await q('_')).toEqual(['r5', 'r4', 'r3', 'r2'])
      expect(await q('   ')).toHaveLength(8)
    })

    it('finds the token count each row shows, and numbers written with separators', async () => {
      const q = async (search: string) =>
        ids((await api.get(`/api/request-logs?search=${encodeURIComponent(search)}`)).body)
      // r1 shows 100 + 50 = 150 tokens; r7 shows 5 + 4 (reasoning, output unknown) = 9.
      expect(await q('150')).toEqual(['r1'])
      expect(await q('9')).toEqual(['r7'])
      expect(await q('1,234')).toEqual(['r1'])
      // Rows without any token count show none, not 0 (r5 matches by its message).
      expect(await q('0')).toEqual(['r5', 'r1'])
    })

    it('reads a date alone as that UTC day: since from its start, until to its end', async () => {
      const q = async (query: string) => ids((await api.get(`/api/request-logs?${query}`)).body)
      const day = iso(0).slice(0, 10)
      const next = new Date(at(0) + 86_400_000).toISOString().slice(0, 10)
      expect(await q(`since=${day}&until=${day}`)).toHaveLength(8)
      expect(await q(`until=${day}`)).toHaveLength(8)
      expect(await q(`since=${next}`)).toEqual([])
      expect(await q(`until=${new Date(at(0) - 86_400_000).toISOString().slice(0, 10)}`)).toEqual(
        [],
      )
      expect((await api.get('/api/request-logs?until=2026-02-30')).status).toBe(422)
    })

    it('answers 422 validation_error naming the bad parameter', async () => {
      for (const [query, field] of [
        ['limit=0', 'limit'],
        ['limit=1001', 'limit'],
        ['limit=abc', 'limit'],
        ['offset=-1', 'offset'],
        ['since=yesterday', 'since'],
        ['until=2026-13-01T00:00:00Z', 'until'],
        ['search=a&search=b', 'search'],
      ] as const) {
        const res = await api.get(`/api/request-logs?${query}`)
        expect(res.status, query).toBe(422)
        expect(res.body.error.code).toBe('validation_error')
        expect(res.body.error.message).toContain(field)
        expect(Object.keys(res.body.error).sort()).toEqual(['code', 'message'])
      }
      const optionsRes = await api.get('/api/request-logs/options?since=nope')
      expect(optionsRes.status).toBe(422)
      expect((await api.get('/api/request-logs?limit=1000')).status).toBe(200)
    })

    it('lists facets, applying filters but never its own status filter', async () => {
      const res = await api.get('/api/request-logs/options?status=ok')
      expect(res.status).toBe(200)
      expect(requestLogOptionsSchema.parse(res.body)).toBeTruthy()
      expect(res.body).toEqual({
        accountIds: ['acc-a', 'acc-b', 'acc-gone'],
        modelOptions: [
          { model: 'gpt-5', reasoningEffort: null },
          { model: 'gpt-5.1', reasoningEffort: null },
          { model: 'gpt-5.1', reasoningEffort: 'high' },
          { model: 'gpt-5.1', reasoningEffort: 'low' },
        ],
        statuses: ['ok', 'rate_limit', 'quota', 'error'],
        apiKeys: [{ id: 'key-1', name: null }],
        noApiKey: true,
      })
      const narrowed = await api.get(`/api/request-logs/options?since=${iso(4)}&accountId=acc-b`)
      expect(narrowed.body).toEqual({
        accountIds: ['acc-b'],
        modelOptions: [
          { model: 'gpt-5', reasoningEffort: null },
          { model: 'gpt-5.1', reasoningEffort: null },
          { model: 'gpt-5.1', reasoningEffort: 'low' },
        ],
        statuses: ['quota', 'error'],
        apiKeys: [],
        noApiKey: true,
      })
    })

    it('needs the dashboard session once a password is set', async () => {
      const setHash = async (hash: string | null) => {
        await t.database.db.updateTable('dashboard_settings').set({ password_hash: hash }).execute()
        t.app.services.settings.invalidate()
      }
      await setHash('$2b$12$abcdefghijklmnopqrstuuJ0h3zJ7wq9Zp7Yb7u7y7t7r7e7w7q7e')
      try {
        for (const path of ['/api/request-logs', '/api/request-logs/options']) {
          const res = await new DashboardClient(t.url).get(path)
          expect(res.status).toBe(401)
          expect(res.body.error.code).toBe('authentication_required')
        }
      } finally {
        await setHash(null)
      }
    })
  })
}
