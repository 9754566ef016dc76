import { dashboardOverviewSchema as contractOverview, modelsListSchema } from '@codex-lb/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { NewUsageRow } from '../../src/db/schema.js'
import {
  dashboardOverviewSchema,
  usageHistorySchema,
  usageSummarySchema,
  usageWindowSchema,
} from '../../src/modules/dashboard/index.js'
import { DashboardClient, ManualClock, startDialectApp } from '../support/dashboard-client.js'
import { dialects } from '../support/dialects.js'
import { insertAccount, insertLogs, insertUsage, logRow } from '../support/log-rows.js'
import type { TestApp } from '../support/test-app.js'

const DIALECTS = await dialects()
const HOUR = 3_600_000
const BUCKET = 6 * HOUR
const NOW = Date.UTC(2026, 10, 20, 15, 30, 0)
/** First of the 28 six-hour buckets: the current one (12:00) minus 27. */
const START = Date.UTC(2026, 10, 20, 12, 0, 0) - 27 * BUCKET
const iso = (ms: number) => new Date(ms).toISOString()

const usage = (
  account_id: string,
  window: 'primary' | 'secondary',
  used_percent: number,
  recorded_at: number,
  reset_at: number | null = null,
): NewUsageRow => ({
  account_id,
  window,
  used_percent,
  recorded_at,
  reset_at,
  window_minutes: window === 'primary' ? 300 : 10080,
})

async function seed(t: TestApp): Promise<void> {
  const db = t.database.db
  await insertAccount(db, { id: 'acc-a', email: 'a@example.com', planType: 'plus' })
  await insertAccount(db, { id: 'acc-b', email: 'b@example.com', planType: 'pro' })
  await insertAccount(db, { id: 'acc-c', email: 'c@example.com', status: 'paused' })
  await insertAccount(db, { id: 'acc-d', email: 'd@example.com', planType: 'free' })
  await insertUsage(db, [
    usage('acc-a', 'primary', 99, NOW - 30 * HOUR, NOW - 25 * HOUR),
    usage('acc-a', 'primary', 20, NOW - 2 * HOUR, NOW + HOUR),
    usage('acc-a', 'primary', 40, NOW - 10 * 60_000, NOW + HOUR),
    usage('acc-a', 'secondary', 10, NOW - 10 * 60_000, NOW + 72 * HOUR),
    usage('acc-b', 'primary', 10, NOW - 5 * 60_000, NOW + 2 * HOUR),
    usage('acc-c', 'primary', 90, NOW - 60_000, NOW + 30 * 60_000),
  ])
  await insertLogs(db, [
    // Outside the overview's buckets; the first one is still inside /usage/summary's 7 days.
    logRow({ requested_at: START - 1, status: 'error', error_code: 'upstream_error' }),
    logRow({ requested_at: NOW - 8 * 24 * HOUR, input_tokens: 1000, cost_usd: 9 }),
    // Bucket 0: one success, one rate-limited.
    logRow({ requested_at: START, input_tokens: 100, output_tokens: 20, cost_usd: 0.5 }),
    logRow({
      requested_at: START + BUCKET - 1,
      status: 'error',
      error_code: 'rate_limit_exceeded',
    }),
    // Bucket 10: output unknown → reasoning tokens count; one failure in three.
    logRow({
      requested_at: START + 10 * BUCKET,
      input_tokens: 10,
      output_tokens: 5,
      cached_input_tokens: 3,
    }),
    logRow({ requested_at: START + 10 * BUCKET + 1, input_tokens: 7, reasoning_tokens: 2 }),
    logRow({
      requested_at: START + 10 * BUCKET + 2,
      status: 'error',
      error_code: 'upstream_error',
    }),
    // Bucket 27 (the current one).
    logRow({ requested_at: NOW - 60_000, account_id: 'acc-gone', cost_usd: 0.1234567 }),
  ])
}

for (const dialect of DIALECTS) {
  describe(`dashboard overview and usage (${dialect.name})`, () => {
    let t: TestApp
    let api: DashboardClient

    beforeAll(async () => {
      t = await startDialectApp(dialect, { clock: new ManualClock(NOW) })
      api = new DashboardClient(t.url)
      await seed(t)
    })
    afterAll(async () => t.close())

    it('buckets the last 7 days into 28 six-hour points computed in SQL', async () => {
      const res = await api.get('/api/dashboard/overview')
      expect(res.status).toBe(200)
      expect(contractOverview.parse(res.body)).toBeTruthy()
      expect(dashboardOverviewSchema.strict().parse(res.body)).toBeTruthy()
      const { trends } = res.body
      for (const name of ['requests', 'tokens', 'cost', 'errorRate'] as const) {
        expect(trends[name]).toHaveLength(28)
        expect(trends[name].map((p: { t: string }) => p.t)).toEqual(
          Array.from({ length: 28 }, (_, i) => iso(START + i * BUCKET)),
        )
      }
      const values = (name: string) => trends[name].map((p: { v: number }) => p.v)
      const expected = (entries: Record<number, number>) =>
        Array.from({ length: 28 }, (_, i) => entries[i] ?? 0)
      expect(values('requests')).toEqual(expected({ 0: 2, 10: 3, 27: 1 }))
      expect(values('tokens')).toEqual(expected({ 0: 120, 10: 24 }))
      expect(values('cost')).toEqual(expected({ 0: 0.5, 27: 0.123457 }))
      expect(values('errorRate')).toEqual(expected({ 0: 0.5, 10: 0.3333 }))
    })

    it('totals the buckets with the original spellings (totalUsd7d, requests7d, errorRate7d)', async () => {
      const { summary } = (await api.get('/api/dashboard/overview')).body
      expect(summary.cost).toEqual({ currency: 'USD', totalUsd7d: 0.623457 })
      expect(summary.metrics).toEqual({
        requests7d: 6,
        tokensSecondaryWindow: 144,
        cachedTokensSecondaryWindow: 3,
        errorRate7d: 2 / 6,
        topError: null,
      })
    })

    it('pools the windows by plan capacity over the accounts that can serve', async () => {
      const { summary, lastSyncAt } = (await api.get('/api/dashboard/overview')).body
      // plus 225 @ 40 % + pro 1500 @ 10 % → 13.913 % used; the paused account does not count.
      expect(summary.primaryWindow).toEqual({
        remainingPercent: 86.09,
        capacityCredits: 1725,
        remainingCredits: 1485.05,
        resetAt: iso(NOW + HOUR),
        windowMinutes: 300,
      })
      expect(summary.secondaryWindow).toEqual({
        remainingPercent: 90,
        capacityCredits: 7560 + 50400,
        remainingCredits: 52164,
        resetAt: iso(NOW + 72 * HOUR),
        windowMinutes: 10080,
      })
      expect(lastSyncAt).toBe(iso(NOW - 60_000))
    })

    it('lists every account per window (no sample = 100 % remaining) and summaries without auth', async () => {
      const body = (await api.get('/api/dashboard/overview')).body
      expect(body.windows.primary).toEqual({
        windowKey: 'primary',
        windowMinutes: 300,
        accounts: [
          {
            accountId: 'acc-a',
            remainingPercentAvg: 60,
            capacityCredits: 225,
            remainingCredits: 135,
          },
          {
            accountId: 'acc-b',
            remainingPercentAvg: 90,
            capacityCredits: 1500,
            remainingCredits: 1350,
          },
          {
            accountId: 'acc-c',
            remainingPercentAvg: 10,
            capacityCredits: 225,
            remainingCredits: 22.5,
          },
          { accountId: 'acc-d', remainingPercentAvg: 100, capacityCredits: 0, remainingCredits: 0 },
        ],
      })
      expect(body.windows.secondary.accounts[1]).toEqual({
        accountId: 'acc-b',
        remainingPercentAvg: 100,
        capacityCredits: 50400,
        remainingCredits: 50400,
      })
      expect(body.accounts.map((a: { accountId: string }) => a.accountId)).toEqual([
        'acc-a',
        'acc-b',
        'acc-c',
        'acc-d',
      ])
      for (const a of body.accounts) expect(a.auth).toBeNull()
    })

    it('GET /api/usage/summary reads raw logs over the secondary window and names the top error', async () => {
      const res = await api.get('/api/usage/summary')
      expect(res.status).toBe(200)
      expect(usageSummarySchema.strict().parse(res.body)).toBeTruthy()
      expect(res.body.metrics).toEqual({
        requests7d: 7,
        tokensSecondaryWindow: 144,
        cachedTokensSecondaryWindow: 3,
        errorRate7d: 3 / 7,
        topError: 'upstream_error',
      })
      expect(res.body.cost.totalUsd7d).toBe(0.623457)
      expect(res.body.primaryWindow.remainingPercent).toBe(86.09)
    })

    it('GET /api/usage/history averages primary samples over the last N hours', async () => {
      const day = await api.get('/api/usage/history')
      expect(day.status).toBe(200)
      expect(usageHistorySchema.strict().parse(day.body)).toBeTruthy()
      expect(day.body.windowHours).toBe(24)
      const remaining = (body: { accounts: Array<{ remainingPercentAvg: number }> }) =>
        body.accounts.map((a) => a.remainingPercentAvg)
      expect(remaining(day.body)).toEqual([70, 90, 10, 100])
      const twoDays = await api.get('/api/usage/history?hours=48')
      expect(remaining(twoDays.body)).toEqual([47, 90, 10, 100])
      expect(twoDays.body.accounts[0]).toEqual({
        accountId: 'acc-a',
        remainingPercentAvg: 47,
        capacityCredits: 225,
        remainingCredits: 105.75,
      })
    })

    it('GET /api/usage/window gives the latest sample of one window', async () => {
      const res = await api.get('/api/usage/window?window=secondary')
      expect(res.status).toBe(200)
      expect(usageWindowSchema.strict().parse(res.body)).toBeTruthy()
      expect(res.body.windowKey).toBe('secondary')
      expect(res.body.windowMinutes).toBe(10080)
      expect(res.body.accounts[0]).toMatchObject({ accountId: 'acc-a', remainingPercentAvg: 90 })
      const primary = await api.get('/api/usage/window')
      expect(primary.body.windowKey).toBe('primary')
    })

    it('answers 422 validation_error for out-of-range usage queries', async () => {
      for (const path of [
        '/api/usage/history?hours=0',
        '/api/usage/history?hours=169',
        '/api/usage/history?hours=abc',
        '/api/usage/window?window=tertiary',
      ]) {
        const res = await api.get(path)
        expect(res.status, path).toBe(422)
        expect(res.body.error.code).toBe('validation_error')
      }
      expect((await api.get('/api/usage/history?hours=168')).status).toBe(200)
    })

    it('GET /api/models lists what /v1/models offers an unrestricted caller', async () => {
      const res = await api.get('/api/models')
      expect(res.status).toBe(200)
      expect(modelsListSchema.parse(res.body)).toBeTruthy()
      expect(res.body.models.length).toBeGreaterThan(0)
      const v1 = (await (await fetch(`${t.url}/v1/models`)).json()) as {
        data: Array<{ id: string }>
      }
      expect(res.body.models.map((m: { id: string }) => m.id)).toEqual(v1.data.map((m) => m.id))
      for (const m of res.body.models) expect(m.name).toEqual(expect.any(String))
    })
  })

  describe(`dashboard overview on an empty pool (${dialect.name})`, () => {
    let t: TestApp
    beforeAll(async () => {
      t = await startDialectApp(dialect, { clock: new ManualClock(NOW) })
    })
    afterAll(async () => t.close())

    it('answers zeros, explicit nulls and still 28 points', async () => {
      const res = await new DashboardClient(t.url).get('/api/dashboard/overview')
      expect(res.status).toBe(200)
      expect(dashboardOverviewSchema.strict().parse(res.body)).toBeTruthy()
      expect(res.body.lastSyncAt).toBeNull()
      expect(res.body.accounts).toEqual([])
      expect(res.body.summary.metrics).toEqual({
        requests7d: 0,
        tokensSecondaryWindow: 0,
        cachedTokensSecondaryWindow: 0,
        errorRate7d: null,
        topError: null,
      })
      expect(res.body.summary.primaryWindow).toEqual({
        remainingPercent: 0,
        capacityCredits: 0,
        remainingCredits: 0,
        resetAt: null,
        windowMinutes: 300,
      })
      expect(res.body.trends.errorRate).toHaveLength(28)
      expect(res.body.trends.requests.every((p: { v: number }) => p.v === 0)).toBe(true)
    })
  })
}
