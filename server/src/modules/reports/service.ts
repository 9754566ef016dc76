import type { KeyUsageHistory, Report, ReportGroup, ReportGroupBy } from '@codex-lb/shared'
import { NotFoundError } from '../../errors/index.js'
import type { Clock } from '../../lib/clock.js'
import { bucketStarts } from './buckets.js'
import { foldDaily, roundUsd } from './fold.js'
import { groupLabels } from './labels.js'
import { limitPeriods, periodUsage, type Period } from './limit-periods.js'
import type { ReportDimension, ReportsRepository } from './repository.js'
import { resolveRange, type ReportQuery } from './schemas.js'

const DIMENSION: Record<ReportGroupBy, ReportDimension> = {
  apiKey: 'api_key_id',
  account: 'account_id',
  model: 'model',
}

const iso = (ms: number) => new Date(ms).toISOString()

/** Most requests first; equal ones by label, so the order is stable. */
function byRequests(a: ReportGroup, b: ReportGroup): number {
  return b.requests - a.requests || a.label.localeCompare(b.label)
}

/** Reports over the request logs: sums per bucket and group, and an API key's use of its limits. */
export class ReportsService {
  constructor(
    private readonly repo: ReportsRepository,
    private readonly clock: Clock,
  ) {}

  async report(query: ReportQuery): Promise<Report> {
    const { since, until } = resolveRange(query, this.clock.now())
    const filter = {
      since,
      until,
      apiKeyIds: query.apiKeyId,
      accountIds: query.accountId,
      models: query.model,
    }
    const rows = await this.repo.dailySeries(filter, DIMENSION[query.groupBy])
    const { totals, points } = foldDaily(rows, query.bucket)
    const labels = await groupLabels(this.repo, query.groupBy, [...totals.keys()])
    const groups = [...totals].map(([key, sums]): ReportGroup => {
      const label = labels.get(key) ?? { label: String(key), deleted: false }
      return { key, ...label, ...roundUsd(sums) }
    })
    return {
      bucket: query.bucket,
      groupBy: query.groupBy,
      since: iso(since),
      until: iso(until),
      buckets: bucketStarts(since, until, query.bucket).map(iso),
      groups: groups.sort(byRequests),
      series: points.map((p) => ({
        bucketStart: iso(p.bucketStart),
        key: p.key,
        ...roundUsd(p.sums),
      })),
    }
  }

  /** Each of the key's limits with its usage in every window that meets the range. 404 unknown key. */
  async keyUsageHistory(
    apiKeyId: string,
    asked: { since: number | null; until: number | null },
  ): Promise<KeyUsageHistory> {
    const { since, until } = resolveRange(asked, this.clock.now())
    const key = await this.repo.keyLimits(apiKeyId)
    if (key === undefined) throw new NotFoundError('API key not found')
    const periods = new Map<number, Period[]>(
      key.limits.map((l) => [l.id, limitPeriods(l, since, until)]),
    )
    const all = [...periods.values()].flat()
    const hours =
      all.length === 0
        ? []
        : await this.repo.keyUsageHourly(
            apiKeyId,
            Math.min(...all.map((p) => p.start)),
            Math.max(...all.map((p) => p.end)),
          )
    return {
      apiKeyId,
      name: key.name,
      since: iso(since),
      until: iso(until),
      limits: key.limits.map((l) => ({
        id: l.id,
        limitType: l.limit_type,
        limitWindow: l.limit_window,
        maxValue: l.max_value,
        modelFilter: l.model_filter,
        periods: periodUsage(l, periods.get(l.id) ?? [], hours),
      })),
    }
  }
}
