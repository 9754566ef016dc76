import type { AccountSummary, DashboardOverview } from '@codex-lb/shared'
import { useQuery } from '@tanstack/react-query'
import { ArrowRight, BarChart3, ScrollText, Users } from 'lucide-react'
import { useMemo } from 'react'
import { Link } from 'wouter'
import { EmptyState } from '@/components/empty-state'
import { QueryError } from '@/components/query-error'
import {
  Card,
  CardAction,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
} from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { AccountStatusBadge, UsageMeter, accountState, accountsQuery } from '@/features/accounts'
import { RequestLogsTable, recentRequestsQuery } from '@/features/request-logs'
import { formatCompact, formatPercent, formatRelative, formatUsd } from '@/lib/format'
import {
  bucketLogs,
  summarizePool,
  totalsFromTrends,
  type PoolSummary,
  type Totals,
  type Trends,
} from '../derive'
import { FALLBACK_SAMPLE, fallbackLogsQuery, overviewQuery } from '../queries'
import { ActivityChart } from './activity-chart'
import { PoolCard } from './pool-card'
import { StatCard } from './stat-card'

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

function StatsGrid({
  totals,
  trends,
  note,
}: {
  totals: Totals
  trends: Trends
  note?: string | undefined
}) {
  const days = 7
  return (
    <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
      <StatCard
        label="Requests · 7 days"
        value={formatCompact(totals.requests)}
        hint={note ?? `≈ ${formatCompact(totals.requests / days)} per day`}
        trend={trends.requests}
      />
      <StatCard
        label="Tokens · 7 days"
        value={formatCompact(totals.tokens)}
        hint={`≈ ${formatCompact(totals.tokens / days)} per day`}
        trend={trends.tokens}
        color="var(--chart-2)"
      />
      <StatCard
        label="Cost · 7 days"
        value={formatUsd(totals.costUsd)}
        hint="at API list prices"
        trend={trends.cost}
        color="var(--chart-3)"
      />
      <StatCard
        label="Error rate · 7 days"
        value={formatPercent(totals.errorRate === null ? null : totals.errorRate * 100, 1)}
        hint={totals.errorRate === null ? 'no requests yet' : 'rate limits, quota and errors'}
        trend={trends.errorRate}
        color="var(--chart-4)"
      />
    </div>
  )
}

function AccountsUsage({ accounts }: { accounts: AccountSummary[] }) {
  // Lowest remaining first: those are the accounts about to stop serving.
  const sorted = [...accounts]
    .sort(
      (a, b) =>
        (a.usage?.primaryRemainingPercent ?? 100) - (b.usage?.primaryRemainingPercent ?? 100),
    )
    .slice(0, 6)
  return (
    <Card>
      <CardHeader>
        <CardTitle>Accounts</CardTitle>
        <CardDescription>Lowest remaining quota first</CardDescription>
        <CardAction>
          <Link
            href="/accounts"
            className="inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground"
          >
            All <ArrowRight className="size-3.5" />
          </Link>
        </CardAction>
      </CardHeader>
      <CardContent>
        {sorted.length === 0 ? (
          <EmptyState
            icon={Users}
            title="No accounts yet"
            description="Add an account to start serving requests."
            className="py-6"
          />
        ) : (
          <ul className="divide-y">
            {sorted.map((a) => (
              <li
                key={a.accountId}
                className="grid gap-2 py-3 first:pt-0 last:pb-0 sm:grid-cols-[1fr_8rem_8rem] sm:items-center sm:gap-4"
              >
                <div className="min-w-0 space-y-1">
                  <p className="truncate text-sm font-medium" title={a.email}>
                    {a.email}
                  </p>
                  <AccountStatusBadge account={a} />
                </div>
                <UsageMeter
                  label="5 h"
                  remaining={a.usage?.primaryRemainingPercent}
                  resetAt={a.resetAtPrimary}
                />
                <UsageMeter
                  label="Weekly"
                  remaining={a.usage?.secondaryRemainingPercent}
                  resetAt={a.resetAtSecondary}
                />
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  )
}

function RecentRequests({ accounts }: { accounts: AccountSummary[] | undefined }) {
  const recent = useQuery(recentRequestsQuery(8))
  const accountMap = useMemo(
    () => (accounts ? new Map(accounts.map((a) => [a.accountId, a])) : undefined),
    [accounts],
  )
  return (
    <Card className="gap-0 pb-0">
      <CardHeader className="pb-4">
        <CardTitle>Recent requests</CardTitle>
        <CardAction>
          <Link
            href="/logs"
            className="inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground"
          >
            All logs <ArrowRight className="size-3.5" />
          </Link>
        </CardAction>
      </CardHeader>
      {recent.isPending ? (
        <div className="space-y-2 px-5 pb-5">
          <Skeleton className="h-8 w-full" />
          <Skeleton className="h-8 w-full" />
        </div>
      ) : recent.isError ? (
        <QueryError error={recent.error} what="request logs" className="py-8" />
      ) : recent.data.requests.length === 0 ? (
        <EmptyState icon={ScrollText} title="No requests yet" className="py-8" />
      ) : (
        <div className="border-t">
          <RequestLogsTable requests={recent.data.requests} accounts={accountMap} compact />
        </div>
      )}
    </Card>
  )
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
    stats = <StatsGrid totals={totalsFrom(overview.data, trends)} trends={trends} />
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
      <div className="grid gap-6 lg:grid-cols-2">
        <AccountsUsage accounts={accountList} />
        <RecentRequests accounts={accounts.data} />
      </div>
    </div>
  )
}
