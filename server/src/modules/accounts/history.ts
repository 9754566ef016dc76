import type { Kysely } from 'kysely'
import type { Database } from '../../db/index.js'
import type { Clock } from '../../lib/clock.js'
import { AccountHistoryRepository, type WindowBucketRow } from './history-repository.js'
import type { AccountHistoryResponse, HistoryRange } from './history-schemas.js'
import type { Account } from './model.js'

const MINUTE_MS = 60_000
const HOUR_MS = 60 * MINUTE_MS

/** How far back each range looks and how wide a chart bucket is: 288, 336 and 360 points. */
export const RANGE_SPANS: Record<HistoryRange, { spanMs: number; bucketMs: number }> = {
  '24h': { spanMs: 24 * HOUR_MS, bucketMs: 5 * MINUTE_MS },
  '7d': { spanMs: 7 * 24 * HOUR_MS, bucketMs: 30 * MINUTE_MS },
  '30d': { spanMs: 30 * 24 * HOUR_MS, bucketMs: 2 * HOUR_MS },
}

export const RECENT_ERRORS_LIMIT = 20

const iso = (ms: number) => new Date(ms).toISOString()

/** The range's start, on a bucket boundary, so points sit at round times whatever `now` is. */
export function rangeStart(range: HistoryRange, now: number): number {
  const { spanMs, bucketMs } = RANGE_SPANS[range]
  return Math.floor((now - spanMs) / bucketMs) * bucketMs
}

/** Splits the grouped rows into one series per window, each point at its bucket's start. */
export function toWindowSeries(rows: WindowBucketRow[], since: number, bucketMs: number) {
  const series: AccountHistoryResponse['windows'] = { primary: [], secondary: [] }
  for (const row of rows) {
    series[row.window].push({
      at: iso(since + row.bucket * bucketMs),
      usedPercent: Math.round(Math.min(100, Math.max(0, row.usedPercent)) * 100) / 100,
    })
  }
  return series
}

export interface AccountHistoryDeps {
  repository: AccountHistoryRepository
  /** Throws AccountNotFoundError for an unknown id. */
  accounts: { get(id: string): Promise<Account> }
  clock: Clock
}

/** The account page's data: window history, last errors and share of traffic over a range. */
export class AccountHistory {
  constructor(private readonly deps: AccountHistoryDeps) {}

  async read(accountId: string, range: HistoryRange): Promise<AccountHistoryResponse> {
    const { repository, clock } = this.deps
    await this.deps.accounts.get(accountId)
    const now = clock.now()
    const since = rangeStart(range, now)
    const { bucketMs } = RANGE_SPANS[range]
    const [buckets, errors, traffic] = await Promise.all([
      repository.windowBuckets(accountId, since, now, bucketMs),
      repository.recentErrors(accountId, RECENT_ERRORS_LIMIT),
      repository.traffic(accountId, since, now),
    ])
    return {
      accountId,
      range,
      since: iso(since),
      until: iso(now),
      bucketMinutes: bucketMs / MINUTE_MS,
      windows: toWindowSeries(buckets, since, bucketMs),
      recentErrors: errors.map((e) => ({
        requestId: e.request_id,
        requestedAt: iso(Number(e.requested_at)),
        endpoint: e.endpoint,
        model: e.model,
        reasoningEffort: e.reasoning_effort,
        httpStatus: e.http_status === null ? null : Number(e.http_status),
        errorCode: e.error_code,
        errorMessage: e.error_message,
      })),
      traffic,
    }
  }
}

export function createAccountHistory(deps: {
  db: Kysely<Database>
  accounts: AccountHistoryDeps['accounts']
  clock: Clock
}): AccountHistory {
  return new AccountHistory({
    repository: new AccountHistoryRepository(deps.db),
    accounts: deps.accounts,
    clock: deps.clock,
  })
}
