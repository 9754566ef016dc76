import { sql, type Kysely } from 'kysely'
import type { Database } from '../../db/index.js'

export interface WindowBucketRow {
  window: 'primary' | 'secondary'
  /** Index of the bucket counted from `since`. */
  bucket: number
  usedPercent: number
}

export interface ErrorLogRow {
  request_id: string
  requested_at: number
  endpoint: string
  model: string
  reasoning_effort: string | null
  http_status: number | null
  error_code: string | null
  error_message: string | null
}

export interface TrafficRow {
  requests: number
  tokens: number
  totalRequests: number
  totalTokens: number
}

// The same token count as the request-log aggregates: reasoning stands in when output is unknown.
const TOKENS = sql`coalesce(input_tokens, 0) + coalesce(output_tokens, reasoning_tokens, 0)`

/** Reads for the account page; each query is served by an (account, time) or time index. */
export class AccountHistoryRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * The highest used % per window and bucket. The bounds are inlined as literals (whole numbers
   * computed here, never input) so the grouped and the selected expression are the same text, which
   * PostgreSQL needs to accept the GROUP BY.
   */
  async windowBuckets(
    accountId: string,
    since: number,
    until: number,
    bucketMs: number,
  ): Promise<WindowBucketRow[]> {
    const bucket = sql<number>`(${sql.ref('recorded_at')} - ${sql.lit(since)}) / ${sql.lit(bucketMs)}`
    const rows = await this.db
      .selectFrom('usage_history')
      .select((eb) => ['window', bucket.as('bucket'), eb.fn.max('used_percent').as('used')])
      .where('account_id', '=', accountId)
      .where('recorded_at', '>=', since)
      .where('recorded_at', '<=', until)
      .groupBy(['window', bucket])
      .orderBy('window')
      .orderBy(bucket)
      .execute()
    // PostgreSQL answers bigint arithmetic as strings.
    return rows.map((r) => ({
      window: r.window,
      bucket: Number(r.bucket),
      usedPercent: Number(r.used),
    }))
  }

  /** The newest error attempts of the account, whatever their age. */
  recentErrors(accountId: string, limit: number): Promise<ErrorLogRow[]> {
    return this.db
      .selectFrom('request_logs')
      .select([
        'request_id',
        'requested_at',
        'endpoint',
        'model',
        'reasoning_effort',
        'http_status',
        'error_code',
        'error_message',
      ])
      .where('account_id', '=', accountId)
      .where('status', '=', 'error')
      .orderBy('requested_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute()
  }

  /** Attempts and tokens of the account and of every account (overflow upstreams left out). */
  async traffic(accountId: string, since: number, until: number): Promise<TrafficRow> {
    const mine = sql<boolean>`${sql.ref('account_id')} = ${accountId}`
    const row = await this.db
      .selectFrom('request_logs')
      .select([
        sql<number>`coalesce(sum(case when ${mine} then 1 else 0 end), 0)`.as('requests'),
        sql<number>`coalesce(sum(case when ${mine} then ${TOKENS} else 0 end), 0)`.as('tokens'),
        sql<number>`count(*)`.as('total_requests'),
        sql<number>`coalesce(sum(${TOKENS}), 0)`.as('total_tokens'),
      ])
      .where('account_id', 'is not', null)
      .where('requested_at', '>=', since)
      .where('requested_at', '<=', until)
      .executeTakeFirst()
    return {
      requests: Number(row?.requests ?? 0),
      tokens: Number(row?.tokens ?? 0),
      totalRequests: Number(row?.total_requests ?? 0),
      totalTokens: Number(row?.total_tokens ?? 0),
    }
  }
}
