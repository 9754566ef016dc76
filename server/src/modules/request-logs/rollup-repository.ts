import { sql, type Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'
import {
  RequestLogsRepository,
  type LogAggregate,
  type LogBucket,
  type LogFacets,
  type LogFilter,
  type LogPageRow,
} from './repository.js'
import { facetCombos } from './daily-source.js'
import { HOUR_MS } from './rollup-rows.js'
import {
  filterColumns,
  filterRange,
  rollupConditions,
  rollupParts,
  rollupsAnswer,
  type RollupColumn,
} from './rollup-source.js'
import type { TimeRange } from './hour-split.js'

/** The columns `aggregates` reads. */
const AGGREGATED: RollupColumn[] = [
  'requests',
  'total_tokens',
  'cached_input_tokens',
  'errors',
  'cost_usd',
]
const aggregates = [
  sql<number>`coalesce(sum(r.requests), 0)`.as('requests'),
  sql<number>`coalesce(sum(r.total_tokens), 0)`.as('tokens'),
  sql<number>`coalesce(sum(r.cached_input_tokens), 0)`.as('cached_tokens'),
  sql<number>`coalesce(sum(r.errors), 0)`.as('errors'),
  sql<number>`coalesce(sum(r.cost_usd), 0)`.as('cost_usd'),
] as const

const orNull = (v: string): string | null => (v === '' ? null : v)

/** Distinct values by key, in first-seen order. */
function unique<T>(values: T[], key: (v: T) => string = String): T[] {
  const seen = new Map<string, T>()
  for (const v of values) if (!seen.has(key(v))) seen.set(key(v), v)
  return [...seen.values()]
}
const ZERO: LogAggregate = { requests: 0, tokens: 0, cached_tokens: 0, errors: 0, cost_usd: 0 }

/** Adds `b` into `a` (PostgreSQL sums arrive as numbers already; Number() keeps SQLite's the same). */
function add(a: LogAggregate, b: LogAggregate): LogAggregate {
  return {
    requests: a.requests + Number(b.requests),
    tokens: a.tokens + Number(b.tokens),
    cached_tokens: a.cached_tokens + Number(b.cached_tokens),
    errors: a.errors + Number(b.errors),
    cost_usd: a.cost_usd + Number(b.cost_usd),
  }
}

/**
 * The dashboard's reads of request_logs, with every count, facet and aggregate answered from the
 * hourly rollups (plus the rows of the partial hours at the ends of the range) instead of scanning
 * the rows; the same answers, at a cost that grows with hours × dimension combinations rather than
 * with requests. Pages and text search still read the rows (through the base class, which is also
 * the reference the equivalence tests compare against).
 */
export class RollupLogsRepository extends RequestLogsRepository {
  readonly #db: Kysely<Database>
  readonly #histograms = new WeakMap<LogFilter, Promise<Array<[number, number]>>>()

  constructor(db: Kysely<Database>) {
    super(db)
    this.#db = db
  }

  /** The parts of `range` carrying `columns`, each narrowed by the filter's dimensions. */
  #parts(range: TimeRange, columns: RollupColumn[], filter: LogFilter | null = null) {
    const where = filter ? rollupConditions(filter) : []
    const wanted = filter ? [...columns, ...filterColumns(filter)] : columns
    return rollupParts(this.#db, range, wanted).map((q) =>
      where.length ? q.where((w) => w.and(where)) : q,
    )
  }

  #filtered(filter: LogFilter, columns: RollupColumn[]) {
    return this.#parts(filterRange(filter), columns, filter)
  }

  /**
   * The page, with its scan bounded by the rollups: the newest hours that together hold
   * offset + limit matching rows say how far back the page can reach, so a rare filter (a quota
   * error on one account) reads those hours instead of walking the whole time index backwards, and
   * an empty one reads nothing.
   */
  /**
   * Matching requests per hour, newest first. Cached per filter object: the list asks for its page
   * and its total with the same filter at once, and both are answered from one read.
   */
  #hours(filter: LogFilter): Promise<Array<[number, number]>> {
    let hours = this.#histograms.get(filter)
    if (!hours) {
      hours = this.#readHours(filter)
      this.#histograms.set(filter, hours)
    }
    return hours
  }

  async #readHours(filter: LogFilter): Promise<Array<[number, number]>> {
    const lists = await Promise.all(
      this.#filtered(filter, ['hour_start', 'requests']).map((q) =>
        q
          .select(['r.hour_start', sql<number>`sum(r.requests)`.as('n')])
          .groupBy('r.hour_start')
          .execute(),
      ),
    )
    const hours = new Map<number, number>()
    for (const r of lists.flat()) {
      const h = Number(r.hour_start)
      hours.set(h, (hours.get(h) ?? 0) + Number(r.n))
    }
    return [...hours.entries()].sort(([a], [b]) => b - a)
  }

  /**
   * The page, with its scan bounded by the rollups: the newest hours that together hold
   * offset + limit matching rows say how far back the page can reach, so a rare filter (a quota
   * error on one account) reads those hours instead of walking the whole time index backwards, and
   * an empty one reads nothing.
   */
  override async page(filter: LogFilter, limit: number, offset: number): Promise<LogPageRow[]> {
    if (!rollupsAnswer(filter)) return super.page(filter, limit, offset)
    let seen = 0
    let from: number | null = null
    for (const [hour, n] of await this.#hours(filter)) {
      seen += n
      if (seen >= offset + limit) {
        from = hour
        break
      }
    }
    if (seen <= offset) return []
    const since = from === null ? filter.since : Math.max(from, filter.since ?? from)
    return super.page({ ...filter, since }, limit, offset)
  }

  override async count(filter: LogFilter): Promise<number> {
    if (!rollupsAnswer(filter)) return super.count(filter)
    return (await this.#hours(filter)).reduce((total, [, n]) => total + n, 0)
  }

  /**
   * The filter options from one pass over the daily rollups (plus the rollups and rows of the partial
   * days at the range's ends) instead of four scans; the names of the keys seen read after.
   */
  override async facets(filter: LogFilter): Promise<LogFacets> {
    if (!rollupsAnswer(filter)) return super.facets(filter)
    const combos = await facetCombos(this.#db, filter)
    const keyIds = unique(combos.map((c) => c.api_key_id))
    const known = keyIds.filter((id) => id !== '')
    const names = new Map(
      known.length === 0
        ? []
        : (
            await this.#db
              .selectFrom('api_keys')
              .select(['id', 'name'])
              .where('id', 'in', known)
              .execute()
          ).map((k) => [k.id, k.name]),
    )
    return {
      accountIds: unique(combos.flatMap((c) => (c.account_id === '' ? [] : [c.account_id]))).sort(),
      modelOptions: unique(
        combos.map((c) => ({ model: c.model, reasoningEffort: orNull(c.reasoning_effort) })),
        (o) => JSON.stringify([o.model, o.reasoningEffort]),
      ),
      outcomes: unique(
        combos.map((c) => ({ status: c.status, error_code: orNull(c.error_code) })),
        (o) => JSON.stringify([o.status, o.error_code]),
      ),
      apiKeys: keyIds.map((id) => ({ id: orNull(id), name: names.get(id) ?? null })),
    }
  }

  override async buckets(since: number, until: number, bucketMs: number): Promise<LogBucket[]> {
    if (bucketMs % HOUR_MS !== 0) return super.buckets(since, until, bucketMs)
    const size = sql.lit(Math.trunc(bucketMs))
    const bucket = sql<number>`r.hour_start - r.hour_start % ${size}`
    const lists = await Promise.all(
      this.#parts({ from: since, to: until }, ['hour_start', ...AGGREGATED]).map((q) =>
        q
          .select([bucket.as('bucket_start'), ...aggregates])
          .groupBy(bucket)
          .execute(),
      ),
    )
    const byStart = new Map<number, LogAggregate>()
    for (const r of lists.flat()) {
      const start = Number(r.bucket_start)
      byStart.set(start, add(byStart.get(start) ?? ZERO, r))
    }
    return [...byStart.entries()]
      .sort(([a], [b]) => a - b)
      .map(([bucket_start, sums]) => ({ ...sums, bucket_start }))
  }

  override async totals(since: number): Promise<LogAggregate> {
    const rows = await Promise.all(
      this.#parts({ from: since, to: null }, AGGREGATED).map((q) =>
        q.select([...aggregates]).executeTakeFirstOrThrow(),
      ),
    )
    return rows.reduce(add, ZERO)
  }

  override async topErrorCode(since: number): Promise<string | null> {
    const lists = await Promise.all(
      this.#parts({ from: since, to: null }, ['status', 'error_code', 'requests']).map((q) =>
        q
          .select(['r.error_code', sql<number>`sum(r.requests)`.as('n')])
          .where('r.status', '<>', 'success')
          .where('r.error_code', '<>', '')
          .groupBy('r.error_code')
          .execute(),
      ),
    )
    const counts = new Map<string, number>()
    for (const r of lists.flat())
      counts.set(r.error_code, (counts.get(r.error_code) ?? 0) + Number(r.n))
    // Most frequent first; ties alphabetical, as the row query orders them.
    const top = [...counts.entries()].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))[0]
    return top ? top[0] : null
  }
}
