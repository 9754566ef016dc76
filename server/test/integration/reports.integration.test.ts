import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { NewRequestLogRow } from '../../src/db/schema.js'
import { DashboardClient, ManualClock, startDialectApp } from '../support/dashboard-client.js'
import { dialects } from '../support/dialects.js'
import { insertAccount, logRow } from '../support/log-rows.js'
import type { TestApp } from '../support/test-app.js'

const DIALECTS = await dialects()
const NOW = Date.parse('2026-12-02T12:00:00Z')
const KEY_NAME = 'laptop, "home"'

/** Five attempts over three weeks; 2026-11-22 is a Sunday. */
const ROWS = [
  {
    at: '2026-11-16T10:00:00.000Z',
    acc: 'acc-a',
    key: 'key-1',
    model: 'gpt-5',
    t: [100, 20, 50, 10],
    cost: 0.01,
  },
  {
    at: '2026-11-22T23:59:59.999Z',
    acc: 'acc-b',
    key: 'key-1',
    model: 'o3',
    t: [200, 0, 100, 40],
    cost: 0.02,
  },
  {
    at: '2026-11-23T00:00:00.000Z',
    acc: 'acc-a',
    key: 'key-gone',
    model: 'gpt-5',
    t: null,
    cost: null,
  },
  {
    at: '2026-11-25T12:00:00.000Z',
    acc: 'acc-gone',
    key: null,
    model: 'gpt-5',
    t: [1000, 500, 300, 0],
    cost: 0.5,
  },
  {
    at: '2026-12-01T08:00:00.000Z',
    acc: null,
    key: 'key-1',
    model: 'o3',
    t: [10, 0, 5, 0],
    cost: 0.001,
  },
] as const

function toRow(r: (typeof ROWS)[number]): NewRequestLogRow {
  return logRow({
    requested_at: Date.parse(r.at),
    account_id: r.acc,
    api_key_id: r.key,
    model: r.model,
    status: r.t === null ? 'error' : 'success',
    error_code: r.t === null ? 'upstream_error' : null,
    input_tokens: r.t?.[0] ?? null,
    cached_input_tokens: r.t?.[1] ?? null,
    output_tokens: r.t?.[2] ?? null,
    reasoning_tokens: r.t?.[3] ?? null,
    cost_usd: r.cost,
    ...(r.acc === null ? { overflow_upstream_id: 'env' } : {}),
  })
}

/** RFC 4180 reader: what a spreadsheet would see. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"'
      i++
    } else if (c === '"') quoted = !quoted
    else if (!quoted && c === ',') {
      row.push(cell)
      cell = ''
    } else if (!quoted && c === '\r' && text[i + 1] === '\n') {
      rows.push([...row, cell])
      row = []
      cell = ''
      i++
    } else cell += c
  }
  return rows
}

const sums = (requests: number, errors: number, t: number[], costUsd: number) => ({
  requests,
  errors,
  inputTokens: t[0],
  cachedInputTokens: t[1],
  outputTokens: t[2],
  reasoningTokens: t[3],
  costUsd,
})

for (const dialect of DIALECTS) {
  describe(`reports (${dialect.name})`, () => {
    let t: TestApp
    let api: DashboardClient

    beforeAll(async () => {
      t = await startDialectApp(dialect, { clock: new ManualClock(NOW) })
      api = new DashboardClient(t.url)
      const db = t.database.db
      await insertAccount(db, { id: 'acc-a', email: 'alice@example.com' })
      await insertAccount(db, { id: 'acc-b', email: 'bob@example.com' })
      await db
        .updateTable('accounts')
        .set({ alias: 'Team laptop' })
        .where('id', '=', 'acc-a')
        .execute()
      await db
        .insertInto('api_keys')
        .values({
          id: 'key-1',
          name: KEY_NAME,
          key_hash: 'hash-must-not-leak',
          key_prefix: 'sk-clb-must-not-leak',
          allowed_models: null,
          expires_at: null,
          is_active: 1,
          created_at: 1,
          last_used_at: null,
        })
        .execute()
      await db
        .insertInto('api_key_limits')
        .values([
          {
            api_key_id: 'key-1',
            limit_type: 'total_tokens',
            limit_window: 'daily',
            max_value: 1000,
            current_value: 0,
            model_filter: null,
            reset_at: Date.parse('2026-12-02T00:00:00Z'),
          },
          {
            api_key_id: 'key-1',
            limit_type: 'cost_usd',
            limit_window: 'weekly',
            max_value: 50_000,
            current_value: 0,
            model_filter: 'o3',
            reset_at: Date.parse('2026-12-03T00:00:00Z'),
          },
        ])
        .execute()
      // Through the real queued writer, as the proxy writes them.
      for (const r of ROWS) t.app.services.logWriter.enqueue(toRow(r))
      await t.app.services.logWriter.flush()
    })
    afterAll(async () => t.close())

    it('sums per model over the default range (the last 30 days), most requests first', async () => {
      const res = await api.get('/api/reports')
      expect(res.status).toBe(200)
      expect(res.body).toMatchObject({
        bucket: 'day',
        groupBy: 'model',
        since: '2026-11-03T00:00:00.000Z',
        until: '2026-12-02T12:00:00.000Z',
      })
      expect(res.body.buckets).toHaveLength(30)
      expect(res.body.groups).toEqual([
        { key: 'gpt-5', label: 'gpt-5', deleted: false, ...sums(3, 1, [1100, 520, 350, 10], 0.51) },
        { key: 'o3', label: 'o3', deleted: false, ...sums(2, 0, [210, 0, 105, 40], 0.021) },
      ])
      // Sunday's last millisecond and Monday's first fall on their own days.
      const days = res.body.series.map((p: { bucketStart: string; key: string }) => [
        p.bucketStart,
        p.key,
      ])
      expect(days).toEqual([
        ['2026-11-16T00:00:00.000Z', 'gpt-5'],
        ['2026-11-22T00:00:00.000Z', 'o3'],
        ['2026-11-23T00:00:00.000Z', 'gpt-5'],
        ['2026-11-25T00:00:00.000Z', 'gpt-5'],
        ['2026-12-01T00:00:00.000Z', 'o3'],
      ])
    })

    it('weeks start on Monday (UTC) and accounts are named by alias, email or as deleted', async () => {
      const res = await api.get('/api/reports?bucket=week&groupBy=account')
      expect(res.status).toBe(200)
      const labels = Object.fromEntries(
        res.body.groups.map((g: { key: string; label: string; deleted: boolean }) => [
          String(g.key),
          [g.label, g.deleted],
        ]),
      )
      expect(labels).toEqual({
        'acc-a': ['Team laptop', false],
        'acc-b': ['bob@example.com', false],
        'acc-gone': ['Deleted account (acc-gone)', true],
        null: ['No account', false],
      })
      const weeks = res.body.series.map(
        (p: { bucketStart: string; key: string; requests: number }) => [
          p.bucketStart.slice(0, 10),
          p.key,
          p.requests,
        ],
      )
      expect(weeks).toEqual(
        expect.arrayContaining([
          ['2026-11-16', 'acc-a', 1],
          ['2026-11-16', 'acc-b', 1],
          ['2026-11-23', 'acc-a', 1],
          ['2026-11-23', 'acc-gone', 1],
          ['2026-11-30', null, 1],
        ]),
      )
      expect(weeks).toHaveLength(5)
    })

    it('months by calendar, grouped by API key, narrowed by repeatable filters', async () => {
      const res = await api.get('/api/reports?bucket=month&groupBy=apiKey')
      expect(res.body.buckets).toEqual(['2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z'])
      expect(res.body.groups.map((g: { label: string }) => g.label)).toEqual([
        KEY_NAME,
        'Deleted API key (key-gone)',
        'No API key',
      ])
      const key1 = res.body.series.filter((p: { key: string }) => p.key === 'key-1')
      expect(key1.map((p: { requests: number }) => p.requests)).toEqual([2, 1])

      const byKey = await api.get('/api/reports?apiKeyId=key-1&apiKeyId=key-gone')
      expect(
        byKey.body.groups.map((g: { key: string; requests: number }) => [g.key, g.requests]),
      ).toEqual([
        ['gpt-5', 2],
        ['o3', 2],
      ])
      const narrowed = await api.get(
        '/api/reports?groupBy=account&apiKeyId=key-1&model=o3&model=gpt-4o&accountId=acc-b&accountId=acc-a',
      )
      expect(narrowed.body.groups).toEqual([
        {
          key: 'acc-b',
          label: 'bob@example.com',
          deleted: false,
          ...sums(1, 0, [200, 0, 100, 40], 0.02),
        },
      ])
    })

    it('takes any range: a date alone is its whole UTC day', async () => {
      const res = await api.get('/api/reports?since=2026-11-23&until=2026-11-23')
      expect(res.body.since).toBe('2026-11-23T00:00:00.000Z')
      expect(res.body.until).toBe('2026-11-23T23:59:59.999Z')
      expect(res.body.groups).toEqual([
        { key: 'gpt-5', label: 'gpt-5', deleted: false, ...sums(1, 1, [0, 0, 0, 0], 0) },
      ])
      const before = await api.get(
        `/api/reports?until=${encodeURIComponent('2026-11-22T23:59:59.999Z')}&since=2026-11-22`,
      )
      expect(before.body.groups.map((g: { key: string }) => g.key)).toEqual(['o3'])
    })

    it('exports the series as CSV whose rows read back equal the JSON', async () => {
      const query = '?bucket=week&groupBy=apiKey'
      const [json, res] = await Promise.all([
        api.get(`/api/reports${query}`),
        fetch(`${t.url}/api/reports/export${query}`),
      ])
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
      expect(res.headers.get('content-disposition')).toBe(
        'attachment; filename="report-apiKey-week-2026-11-03-2026-12-02.csv"',
      )
      const text = await res.text()
      expect(text).not.toContain('must-not-leak')
      const [header, ...rows] = parseCsv(text)
      expect(header).toEqual([
        'bucket_start',
        'group',
        'label',
        'requests',
        'errors',
        'input_tokens',
        'cached_input_tokens',
        'output_tokens',
        'reasoning_tokens',
        'cost_usd',
      ])
      const labels = new Map(
        json.body.groups.map((g: { key: string; label: string }) => [g.key, g.label]),
      )
      const expected = json.body.series.map((p: Record<string, string | number | null>) =>
        [
          p.bucketStart,
          p.key ?? '',
          labels.get(p.key),
          p.requests,
          p.errors,
          p.inputTokens,
          p.cachedInputTokens,
          p.outputTokens,
          p.reasoningTokens,
          p.costUsd,
        ].map(String),
      )
      expect(rows).toEqual(expected)
      expect(rows.some((r) => r[2] === KEY_NAME)).toBe(true)
    })

    it.each([
      ['bucket=hour', 'bucket'],
      ['groupBy=team', 'groupBy'],
      ['since=yesterday', 'since'],
      ['since=2026-02-30', 'since'],
      ['since=2026-11-20&until=2026-11-19', 'until'],
      ['since=2025-01-01&until=2026-02-06', 'until'],
    ])('answers 422 naming the field for %s', async (query, field) => {
      for (const path of ['/api/reports', '/api/reports/export']) {
        const res = await api.get(`${path}?${query}`)
        expect(res.status).toBe(422)
        expect(res.body.error.code).toBe('validation_error')
        expect(res.body.error.message).toContain(`${field}:`)
      }
    })

    it('draws a key’s usage per window of each of its limits', async () => {
      const res = await api.get(
        '/api/api-keys/key-1/usage-history?since=2026-11-22&until=2026-12-01',
      )
      expect(res.status).toBe(200)
      expect(res.body).toMatchObject({ apiKeyId: 'key-1', name: KEY_NAME })
      const [daily, weekly] = res.body.limits
      expect(daily).toMatchObject({
        limitType: 'total_tokens',
        limitWindow: 'daily',
        maxValue: 1000,
        modelFilter: null,
      })
      expect(daily.periods).toHaveLength(10)
      expect(daily.periods[0]).toEqual({
        start: '2026-11-22T00:00:00.000Z',
        end: '2026-11-23T00:00:00.000Z',
        used: 300,
      })
      expect(daily.periods[9]).toMatchObject({ start: '2026-12-01T00:00:00.000Z', used: 15 })
      expect(daily.periods.slice(1, 9).every((p: { used: number }) => p.used === 0)).toBe(true)
      // Weekly windows run from the reset time (Thursday), for o3 only, in micro-dollars.
      expect(weekly).toMatchObject({
        limitType: 'cost_usd',
        limitWindow: 'weekly',
        modelFilter: 'o3',
        maxValue: 50_000,
      })
      expect(weekly.periods).toEqual([
        { start: '2026-11-19T00:00:00.000Z', end: '2026-11-26T00:00:00.000Z', used: 20_000 },
        { start: '2026-11-26T00:00:00.000Z', end: '2026-12-03T00:00:00.000Z', used: 1000 },
      ])

      expect((await api.get('/api/api-keys/nope/usage-history')).status).toBe(404)
      const bad = await api.get('/api/api-keys/key-1/usage-history?until=soon')
      expect(bad.status).toBe(422)
      expect(bad.body.error.message).toContain('until:')
    })

    it('is behind the dashboard session once a password is set', async () => {
      expect(
        (await api.post('/api/dashboard-auth/password/setup', { password: 'reports pass' })).status,
      ).toBe(200)
      for (const path of [
        '/api/reports',
        '/api/reports/export',
        '/api/api-keys/key-1/usage-history',
      ]) {
        expect((await fetch(`${t.url}${path}`)).status).toBe(401)
      }
      expect((await api.get('/api/reports')).status).toBe(200)
    })
  })
}
