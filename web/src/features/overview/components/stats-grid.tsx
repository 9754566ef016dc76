import { formatCompact, formatInteger, formatPercent, formatUsd } from '@/lib/format'
import type { Totals, Trends } from '../derive'
import { StatCard } from './stat-card'

export function StatsGrid({
  totals,
  trends,
  note,
  inFlight,
}: {
  totals: Totals
  trends: Trends
  note?: string | undefined
  /** Upstream streams open now; absent when the server does not report it. */
  inFlight?: number | null | undefined
}) {
  const days = 7
  const live = typeof inFlight === 'number'
  return (
    <div
      className={`grid gap-4 sm:grid-cols-2 ${live ? 'lg:grid-cols-3 xl:grid-cols-5' : 'xl:grid-cols-4'}`}
    >
      {live ? (
        <StatCard
          label="In flight now"
          value={formatInteger(inFlight)}
          hint={inFlight === 1 ? 'request streaming upstream' : 'requests streaming upstream'}
        />
      ) : null}
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
