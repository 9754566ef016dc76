import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accountHistoryResponseSchema } from '../../src/modules/accounts/index.js'
import { DashboardClient, ManualClock, startDialectApp } from '../support/dashboard-client.js'
import { dialects } from '../support/dialects.js'
import { insertAccount, insertLogs, insertUsage, logRow } from '../support/log-rows.js'
import type { TestApp } from '../support/test-app.js'

const DIALECTS = await dialects()
const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
const NOW = Date.UTC(2026, 5, 10, 12, 0, 0)
const iso = (ms: number) => new Date(ms).toISOString()

const usage = (account_id: string, window: 'primary' | 'secondary', at: number, used: number) => ({
  account_id,
  window,
  recorded_at: at,
  used_percent: used,
  reset_at: null,
  window_minutes: null,
  credits_has: null,
  credits_unlimited: null,
  credits_balance: null,
})

// Issue 12 item 4: the per-account page's window history, last errors and share of traffic.
describe.each(DIALECTS)('GET /api/accounts/:id/history ($name)', (dialect) => {
  let t: TestApp
  let api: DashboardClient

  beforeAll(async () => {
    t = await startDialectApp(dialect, { clock: new ManualClock(NOW) })
    api = new DashboardClient(t.url)
    const db = t.database.db
    await insertAccount(db, { id: 'acc-a', email: 'a@example.com' })
    await insertAccount(db, { id: 'acc-b', email: 'b@example.com' })
    await insertUsage(db, [
      // Two samples in one 5-minute bucket: the point is the higher of them.
      usage('acc-a', 'primary', NOW - 2 * HOUR, 20),
      usage('acc-a', 'primary', NOW - 2 * HOUR + MIN, 25.5),
      usage('acc-a', 'primary', NOW - 30 * MIN, 40),
      usage('acc-a', 'secondary', NOW - 3 * HOUR, 10),
      usage('acc-a', 'primary', NOW - 2 * DAY, 90),
      usage('acc-b', 'primary', NOW - HOUR, 99),
    ])
    const tokens = { input_tokens: 100, output_tokens: 50 }
    await insertLogs(db, [
      ...Array.from({ length: 22 }, (_, i) =>
        logRow({
          account_id: 'acc-a',
          requested_at: NOW - (i + 1) * MIN,
          status: 'error',
          http_status: 429,
          error_code: `code_${i + 1}`,
          error_message: `failure ${i + 1}`,
          model: 'gpt-5.5',
          reasoning_effort: 'high',
        }),
      ),
      ...[1, 2, 3].map((h) =>
        logRow({ account_id: 'acc-a', requested_at: NOW - h * HOUR, ...tokens }),
      ),
      logRow({ account_id: 'acc-a', requested_at: NOW - 10 * DAY, input_tokens: 1000 }),
      logRow({
        account_id: 'acc-b',
        requested_at: NOW - HOUR,
        input_tokens: 600,
        output_tokens: 400,
      }),
      logRow({ account_id: 'acc-b', requested_at: NOW - 2 * HOUR, input_tokens: 1000 }),
      // An overflow upstream served this one: no account's traffic.
      logRow({ account_id: null, requested_at: NOW - HOUR, input_tokens: 5000 }),
    ])
  })
  afterAll(async () => t.close())

  it('answers the last 24 h by default: bucketed windows, the 20 newest errors, the traffic share', async () => {
    const res = await api.get('/api/accounts/acc-a/history')
    expect(res.status).toBe(200)
    const body = accountHistoryResponseSchema.parse(res.body)
    expect(body).toMatchObject({
      accountId: 'acc-a',
      range: '24h',
      since: iso(NOW - DAY),
      until: iso(NOW),
      bucketMinutes: 5,
    })
    expect(body.windows).toEqual({
      primary: [
        { at: iso(NOW - 2 * HOUR), usedPercent: 25.5 },
        { at: iso(NOW - 30 * MIN), usedPercent: 40 },
      ],
      secondary: [{ at: iso(NOW - 3 * HOUR), usedPercent: 10 }],
    })
    expect(body.recentErrors).toHaveLength(20)
    expect(body.recentErrors[0]).toMatchObject({
      requestedAt: iso(NOW - MIN),
      model: 'gpt-5.5',
      reasoningEffort: 'high',
      httpStatus: 429,
      errorCode: 'code_1',
      errorMessage: 'failure 1',
    })
    expect(body.recentErrors.at(-1)?.errorCode).toBe('code_20')
    expect(body.traffic).toEqual({
      requests: 25,
      tokens: 450,
      totalRequests: 27,
      totalTokens: 450 + 1000 + 1000,
    })
  })

  it('7 d and 30 d reach further back with wider buckets', async () => {
    const week = (await api.get('/api/accounts/acc-a/history?range=7d')).body
    expect(week.bucketMinutes).toBe(30)
    expect(week.windows.primary[0]).toEqual({ at: iso(NOW - 2 * DAY), usedPercent: 90 })
    expect(week.traffic.requests).toBe(25)

    const month = (await api.get('/api/accounts/acc-a/history?range=30d')).body
    expect(month.bucketMinutes).toBe(120)
    expect(month.since).toBe(iso(NOW - 30 * DAY))
    expect(month.traffic).toEqual({
      requests: 26,
      tokens: 1450,
      totalRequests: 28,
      totalTokens: 3450,
    })
  })

  it('an unknown account is a 404, a bad range a 422 naming it', async () => {
    const missing = await api.get('/api/accounts/nobody/history')
    expect(missing.status).toBe(404)
    expect(missing.body.error.code).toBe('account_not_found')
    for (const range of ['1y', '', '24H']) {
      const bad = await api.get(`/api/accounts/acc-a/history?range=${range}`)
      expect(bad.status, `range=${range}`).toBe(422)
      expect(bad.body.error.message).toContain('range')
    }
  })
})
