import type { Clock } from '../../lib/clock.js'
import type { AccountSummary } from '../accounts/index.js'
import { isPublicModel, type ModelInfo } from '../models/index.js'
import type { LogAggregate, RequestLogsService } from '../request-logs/index.js'
import {
  DEFAULT_WINDOW_MINUTES,
  pooledUsage,
  type LatestWindowRow,
  type PooledUsage,
} from '../usage/index.js'
import type { DashboardRepository } from './repository.js'
import type {
  DashboardOverviewResponse,
  ModelsResponse,
  UsageHistoryResponse,
  UsageSummaryResponse,
  UsageWindowResponse,
} from './schemas.js'
import {
  TREND_BUCKETS,
  TREND_BUCKET_MS,
  buildTrends,
  round,
  sumBuckets,
  trendStart,
} from './trends.js'
import {
  lastSyncAt,
  summaryWindow,
  windowItem,
  windowItems,
  windowMinutes,
  type UsageAccount,
  type WindowKey,
} from './usage-windows.js'

export interface DashboardServiceDeps {
  accounts: {
    listSummaries(): Promise<AccountSummary[]>
    listAll(): Promise<UsageAccount[]>
  }
  /** Newest usage sample per account and window (UsageRepository). */
  usage: { latest(): Promise<LatestWindowRow[]> }
  repo: DashboardRepository
  logs: Pick<RequestLogsService, 'buckets' | 'totals' | 'topErrorCode'>
  models: { list(): readonly ModelInfo[] }
  /** Upstream streams open right now in this process (the balancer's InFlight). */
  inFlight: { readonly total: number }
  clock: Clock
}

const MINUTE_MS = 60_000
const HOUR_MS = 3_600_000

function summaryFrom(
  accounts: readonly UsageAccount[],
  pooled: PooledUsage,
  totals: LogAggregate,
  topError: string | null,
): UsageSummaryResponse {
  return {
    primaryWindow: summaryWindow(accounts, pooled.primary, 'primary'),
    secondaryWindow: summaryWindow(accounts, pooled.secondary, 'secondary'),
    cost: { currency: 'USD', totalUsd7d: round(totals.cost_usd, 6) },
    metrics: {
      requests7d: totals.requests,
      tokensSecondaryWindow: totals.tokens,
      cachedTokensSecondaryWindow: totals.cached_tokens,
      errorRate7d: totals.requests ? totals.errors / totals.requests : null,
      topError,
    },
  }
}

const asUsageAccount = (s: AccountSummary): UsageAccount => ({
  id: s.accountId,
  planType: s.planType,
  status: s.status,
})

/** The dashboard's read endpoints: overview, usage windows and the model list. */
export class DashboardService {
  constructor(private readonly deps: DashboardServiceDeps) {}

  /** Everything the overview page shows, from one snapshot of accounts and usage. */
  async overview(): Promise<DashboardOverviewResponse> {
    const start = trendStart(this.deps.clock.now())
    const [summaries, latest, buckets] = await Promise.all([
      this.deps.accounts.listSummaries(),
      this.deps.usage.latest(),
      this.deps.logs.buckets(start, TREND_BUCKET_MS, TREND_BUCKETS),
    ])
    const accounts = summaries.map(asUsageAccount)
    const window = (key: WindowKey): UsageWindowResponse => ({
      windowKey: key,
      windowMinutes: windowMinutes(latest, key),
      accounts: windowItems(accounts, latest, key),
    })
    return {
      lastSyncAt: lastSyncAt(latest),
      accounts: summaries.map((s) => ({ ...s, auth: null })),
      // The overview's totals come from the same buckets as the trends; no per-code breakdown.
      summary: summaryFrom(accounts, pooledUsage(accounts, latest), sumBuckets(buckets), null),
      windows: { primary: window('primary'), secondary: window('secondary') },
      trends: buildTrends(start, buckets),
      inFlight: this.deps.inFlight.total,
    }
  }

  /** Like the overview's summary, but from raw logs over the secondary window (topError set). */
  async usageSummary(): Promise<UsageSummaryResponse> {
    const [accounts, latest] = await Promise.all([
      this.deps.accounts.listAll(),
      this.deps.usage.latest(),
    ])
    const pooled = pooledUsage(accounts, latest)
    const minutes = pooled.secondary?.windowMinutes ?? DEFAULT_WINDOW_MINUTES.secondary
    const since = this.deps.clock.now() - minutes * MINUTE_MS
    const [totals, topError] = await Promise.all([
      this.deps.logs.totals(since),
      this.deps.logs.topErrorCode(since),
    ])
    return summaryFrom(accounts, pooled, totals, topError)
  }

  /** Mean primary-window usage per account over the last `hours` (no samples: 0 % used). */
  async usageHistory(hours: number): Promise<UsageHistoryResponse> {
    const since = this.deps.clock.now() - hours * HOUR_MS
    const [accounts, averages] = await Promise.all([
      this.deps.accounts.listAll(),
      this.deps.repo.averageUsed('primary', since),
    ])
    const used = new Map(averages.map((a) => [a.account_id, a.used_percent]))
    return {
      windowHours: hours,
      accounts: accounts.map((a) => windowItem(a, 'primary', used.get(a.id) ?? 0)),
    }
  }

  /** The latest sample of one window for every account. */
  async usageWindow(key: WindowKey): Promise<UsageWindowResponse> {
    const [accounts, latest] = await Promise.all([
      this.deps.accounts.listAll(),
      this.deps.usage.latest(),
    ])
    return {
      windowKey: key,
      windowMinutes: windowMinutes(latest, key),
      accounts: windowItems(accounts, latest, key),
    }
  }

  /** What `/v1/models` offers an unrestricted caller: one predicate for every model list. */
  models(): ModelsResponse {
    return {
      models: this.deps.models
        .list()
        .filter((m) => isPublicModel(m, null))
        .map((m) => ({ id: m.id, name: m.displayName || m.id })),
    }
  }
}
