import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { NewRequestLogRow, RequestLogRollupRow } from '../../src/db/schema.js'
import { up as backfillRollups } from '../../src/db/migrations/2026-12-05-51-request-log-rollups.js'
import { up as backfillDaily } from '../../src/db/migrations/2026-12-05-53-request-log-daily-rollups.js'
import {
  TREND_BUCKETS,
  TREND_BUCKET_MS,
  buildTrends,
  trendStart,
} from '../../src/modules/dashboard/index.js'
import {
  RequestLogsRepository,
  RequestLogsService,
  type LogFilter,
} from '../../src/modules/request-logs/index.js'
import { random } from '../../bench/log-generator.js'
import { DashboardClient, ManualClock, startDialectApp } from '../support/dashboard-client.js'
import { dialects } from '../support/dialects.js'
import { insertAccount, logRow } from '../support/log-rows.js'
import type { TestApp } from '../support/test-app.js'

const DIALECTS = await dialects()
const HOUR = 3_600_000
const DAY = 24 * HOUR
const NOW = Date.UTC(2026, 10, 20, 15, 31, 7)
const ACCOUNTS = ['acc-a', 'acc-b', 'acc-c']
const CODES = [
  null,
  'rate_limit_exceeded',
  'usage_limit_reached',
  'insufficient_quota',
  'server_error',
]
const MODELS: Array<[string, string | null]> = [
  ['gpt-5.5', 'high'],
  ['gpt-5.5', null],
  ['gpt-5.1-codex-mini', null],
  ['gpt-5.1', 'low'],
]

/** 600 rows over the last 9 days, every nullable column sometimes null, ~20 % failures. */
function mixedRows(): NewRequestLogRow[] {
  const rnd = random(7)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!
  return Array.from({ length: 600 }, () => {
    const [model, effort] = pick(MODELS)
    const failed = rnd() < 0.2
    const maybe = (n: number) => (rnd() < 0.15 ? null : Math.floor(n * rnd()))
    return logRow({
      requested_at: NOW - Math.floor(rnd() * 9 * 24 * HOUR),
      account_id: rnd() < 0.1 ? null : pick(ACCOUNTS),
      api_key_id: pick([null, 'key-1', 'key-2']),
      overflow_upstream_id: rnd() < 0.05 ? 'env' : null,
      model,
      reasoning_effort: effort,
      status: failed ? 'error' : 'success',
      error_code: failed ? pick(CODES) : null,
      input_tokens: maybe(5000),
      cached_input_tokens: maybe(2000),
      output_tokens: maybe(900),
      reasoning_tokens: maybe(400),
      cost_usd: rnd() < 0.1 ? null : rnd() / 7,
      latency_ms: maybe(9000),
    })
  })
}

const FILTER: LogFilter = {
  search: null,
  accountIds: [],
  statuses: [],
  models: [],
  reasoningEfforts: [],
  modelOptions: [],
  since: null,
  until: null,
  apiKeyIds: [],
}
const f = (over: Partial<LogFilter>): LogFilter => ({ ...FILTER, ...over })

/** Filters the dashboard sends: ragged and aligned ranges, every status bucket, each dimension. */
const FILTERS: Array<[string, LogFilter]> = [
  ['no filter', FILTER],
  ['ragged 7 days', f({ since: NOW - 7 * 24 * HOUR + 12_345 })],
  ['ragged both ends', f({ since: NOW - 50 * HOUR - 999, until: NOW - 3 * HOUR + 17 })],
  ['inside one hour', f({ since: NOW - 40 * 60_000, until: NOW - 35 * 60_000 })],
  ['aligned hours', f({ since: NOW - (NOW % HOUR) - 24 * HOUR, until: NOW - (NOW % HOUR) - 1 })],
  ['status error', f({ statuses: ['error'] })],
  [
    'rate_limit and quota, 3 days',
    f({ statuses: ['rate_limit', 'quota'], since: NOW - 3 * 24 * HOUR }),
  ],
  ['ok', f({ statuses: ['ok'] })],
  ['two accounts', f({ accountIds: ['acc-a', 'acc-c'] })],
  ['a key or none', f({ apiKeyIds: ['key-2', null] })],
  ['one key, 2 days', f({ apiKeyIds: ['key-1'], since: NOW - 2 * 24 * HOUR - 5 })],
  [
    'model option without effort',
    f({ modelOptions: [{ model: 'gpt-5.5', reasoningEffort: null }] }),
  ],
  ['models and efforts', f({ models: ['gpt-5.5', 'gpt-5.1'], reasoningEfforts: ['high'] })],
  // The options read whole UTC days from the daily facets: ranges on and across day edges.
  ['aligned days', f({ since: NOW - (NOW % DAY) - 3 * DAY, until: NOW - (NOW % DAY) - 1 })],
  ['ragged 30 days', f({ since: NOW - 30 * DAY + 77 })],
  [
    'a day edge inside',
    f({ since: NOW - (NOW % DAY) - 5 * HOUR - 3, until: NOW - (NOW % DAY) + 2 * HOUR + 9 }),
  ],
  ['ragged 4 days, one account', f({ since: NOW - 4 * DAY - 4321, accountIds: ['acc-b'] })],
]

for (const dialect of DIALECTS) {
  describe(`request-log rollups (${dialect.name})`, () => {
    let t: TestApp
    let raw: RequestLogsService

    beforeAll(async () => {
      t = await startDialectApp(dialect, { clock: new ManualClock(NOW) })
      const db = t.database.db
      for (const id of ACCOUNTS) await insertAccount(db, { id, email: `${id}@example.com` })
      // key-2 stays unknown: a deleted key still shows in the options, without a name.
      await db
        .insertInto('api_keys')
        .values({
          id: 'key-1',
          name: 'first key',
          key_hash: 'h',
          key_prefix: 'sk-clb-x',
          allowed_models: null,
          expires_at: null,
          is_active: 1,
          created_at: NOW,
          last_used_at: null,
          allowed_reasoning_efforts: null,
          allowed_service_tiers: null,
          allowed_account_ids: null,
          max_concurrent_requests: null,
        })
        .execute()
      // Through the real writer, in its own batches.
      for (const row of mixedRows()) t.app.services.logWriter.enqueue(row)
      await t.app.services.logWriter.flush()
      raw = new RequestLogsService(new RequestLogsRepository(t.database.db))
    })
    afterAll(async () => t?.close())

    it.each(FILTERS)('answers options and the list total like the rows (%s)', async (_, filter) => {
      const rolled = t.app.services.requestLogs
      expect(await rolled.options(filter)).toEqual(await raw.options(filter))
      const [a, b] = await Promise.all([rolled.list(filter, 5, 0), raw.list(filter, 5, 0)])
      expect(a.total).toBe(b.total)
      expect(a.requests).toEqual(b.requests)
      // A later page: the rollups bound how far back its scan reaches.
      const [c, d] = await Promise.all([rolled.list(filter, 7, 3), raw.list(filter, 7, 3)])
      expect(c).toEqual(d)
    })

    it('draws the overview trends from the rollups exactly as from the rows', async () => {
      const start = trendStart(NOW)
      const expected = buildTrends(start, await raw.buckets(start, TREND_BUCKET_MS, TREND_BUCKETS))
      const res = await new DashboardClient(t.url).get('/api/dashboard/overview')
      expect(res.status).toBe(200)
      expect(res.body.trends).toEqual(expected)
      expect(expected.requests.some((p) => p.v > 0)).toBe(true)
    })

    it('sums totals and the top error over a ragged range like the rows', async () => {
      const since = NOW - 7 * 24 * HOUR + 4321
      const [a, b] = [t.app.services.requestLogs, raw]
      const [ta, tb] = await Promise.all([a.totals(since), b.totals(since)])
      expect({ ...ta, cost_usd: 0 }).toEqual({ ...tb, cost_usd: 0 })
      expect(ta.cost_usd).toBeCloseTo(tb.cost_usd, 9)
      expect(await a.topErrorCode(since)).toBe(await b.topErrorCode(since))
    })

    it('backfills in the migration the same rollups the writer kept', async () => {
      const db = t.database.db
      const snapshot = async () =>
        (await db.selectFrom('request_log_rollups').selectAll().execute())
          .map((r): RequestLogRollupRow => ({
            ...r,
            hour_start: Number(r.hour_start),
            cost_usd: Math.round(Number(r.cost_usd) * 1e9),
          }))
          .sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1))
      const live = await snapshot()
      expect(live.length).toBeGreaterThan(100)
      await backfillRollups(db)
      expect(await snapshot()).toEqual(live)
    })

    it('backfills in the migration the same daily rollups the writer kept', async () => {
      const db = t.database.db
      const snapshot = async () =>
        (await db.selectFrom('request_log_daily_rollups').selectAll().execute())
          .map((r) => ({
            ...r,
            day_start: Number(r.day_start),
            cost_usd: Math.round(Number(r.cost_usd) * 1e9),
          }))
          .sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1))
      const live = await snapshot()
      expect(live.length).toBeGreaterThan(50)
      expect(live.reduce((n, r) => n + Number(r.requests), 0)).toBe(600)
      await backfillDaily(db)
      expect(await snapshot()).toEqual(live)
    })
  })
}
