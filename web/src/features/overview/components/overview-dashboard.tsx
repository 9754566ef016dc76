import type { AccountSummary, DashboardOverview } from '@codex-lb/shared'
import { useQuery } from '@tanstack/react-query'
import { BarChart3 } from 'lucide-react'
import { EmptyState } from '@/components/empty-state'
import { QueryError } from '@/components/query-error'
import { Card } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { accountState, accountsQuery } from '@/features/accounts'
import { formatRelative } from '@/lib/format'
import {
  bucketLogs,
  summarizePool,
  totalsFromTrends,
  type PoolSummary,
  type Totals,
  type Trends,
} from '../derive'
import { FALLBACK_SAMPLE, fallbackLogsQuery, overviewQuery } from '../queries'
import { AccountsUsage } from './accounts-usage'
import { ActivityChart } from './activity-chart'
import { PoolCard } from './pool-card'
import { RecentRequests } from './recent-requests'
import { StatsGrid } from './stats-grid'

const isRelogin = (a: AccountSummary) => accountState(a).needsRelogin

function poolFrom(
  accounts: AccountSummary[],
  overview: DashboardOverview | null | undefined,
): PoolSummary {
  const pool = summarizePool(accounts, isRelogin)
  const primary = overview?.summary.primaryWindow
  const secondary = overview?.summary.secondaryWindow
  // The server's pooled numbers use its own capacity table; prefer them when present.
  if (primary)
    pool.primary = { remainingPercent: primary.remainingPercent, resetAt: primary.resetAt ?? null }
  if (secondary)
    pool.secondary = {
      remainingPercent: secondary.remainingPercent,
      resetAt: secondary.resetAt ?? null,
    }
  return pool
}

function totalsFrom(overview: DashboardOverview, trends: Trends): Totals {
  const derived = totalsFromTrends(trends)
  const metrics = overview.summary.metrics
  return {
    requests: metrics?.requests7d ?? derived.requests,
    tokens: metrics?.tokensSecondaryWindow ?? derived.tokens,
    costUsd: overview.summary.cost?.totalUsd7d ?? derived.costUsd,
    errorRate: metrics?.errorRate7d ?? derived.errorRate,
  }
}

export function OverviewDashboard() {
  const accounts = useQuery(accountsQuery())
  const overview = useQuery(overviewQuery())
  const fallback = useQuery({ ...fallbackLogsQuery(), enabled: overview.data === null })

  const accountList = accounts.data ?? overview.data?.accounts ?? []
  const pool = poolFrom(accountList, overview.data)

  let stats
  if (overview.isPending || (overview.data === null && fallback.isPending)) {
    stats = (
      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        {[0, 1, 2, 3].map((i) => (
          <Skeleton key={i} className="h-32 rounded-xl" />
        ))}
      </div>
    )
  } else if (overview.isError) {
    stats = (
      <Card className="py-0">
        <QueryError
          error={overview.error}
          what="usage statistics"
          onRetry={() => void overview.refetch()}
          className="py-8"
        />
      </Card>
    )
  } else if (overview.data?.trends) {
    const trends = overview.data.trends
    stats = (
      <StatsGrid
        totals={totalsFrom(overview.data, trends)}
        trends={trends}
        inFlight={overview.data.inFlight}
      />
    )
  } else if (fallback.data) {
    const trends = bucketLogs(fallback.data.requests)
    const note = fallback.data.hasMore ? `from the latest ${FALLBACK_SAMPLE} requests` : undefined
    stats = (
      <StatsGrid
        totals={{ ...totalsFromTrends(trends), requests: fallback.data.total }}
        trends={trends}
        note={note}
      />
    )
  } else {
    stats = (
      <Card className="py-0">
        <QueryError error={fallback.error} what="usage statistics" className="py-8" />
      </Card>
    )
  }

  const trends =
    overview.data?.trends ?? (fallback.data ? bucketLogs(fallback.data.requests) : null)

  return (
    <div className="space-y-6">
      {overview.data?.lastSyncAt ? (
        <p className="-mt-4 text-xs text-muted-foreground">
          Usage synced {formatRelative(overview.data.lastSyncAt)}
        </p>
      ) : null}
      {stats}
      <div className="grid gap-6 lg:grid-cols-5">
        <div className="lg:col-span-2">
          {accounts.isError && !overview.data ? (
            <Card className="py-0">
              <QueryError
                error={accounts.error}
                what="accounts"
                onRetry={() => void accounts.refetch()}
                className="py-8"
              />
            </Card>
          ) : (
            <PoolCard pool={pool} />
          )}
        </div>
        <div className="lg:col-span-3">
          {trends ? (
            <ActivityChart trends={trends} />
          ) : overview.isPending || (overview.data === null && fallback.isLoading) ? (
            <Skeleton className="h-full min-h-72 rounded-xl" />
          ) : (
            <Card className="h-full justify-center py-0">
              <EmptyState
                icon={BarChart3}
                title="No traffic data"
                description="Request charts appear once this server records request logs."
              />
            </Card>
          )}
        </div>
      </div>
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <AccountsUsage accounts={accountList} />
        <RecentRequests accounts={accounts.data} />
      </div>
    </div>
  )
}
