import { Link } from 'wouter'
import {
  Card,
  CardAction,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
} from '@/components/ui/card'
import { Progress } from '@/components/ui/progress'
import { remainingTone } from '@/features/accounts'
import { formatRelative } from '@/lib/format'
import { cn } from '@/lib/utils'
import type { PoolSummary, PoolWindow } from '../derive'

const STATUS_ROWS = [
  { key: 'active', label: 'Active', dot: 'bg-success' },
  { key: 'rate_limited', label: 'Rate limited', dot: 'bg-warning' },
  { key: 'quota_exceeded', label: 'Quota exceeded', dot: 'bg-warning' },
  { key: 'paused', label: 'Paused', dot: 'bg-muted-foreground/50' },
  { key: 'deactivated', label: 'Deactivated', dot: 'bg-destructive' },
] as const

function WindowGauge({ label, window }: { label: string; window: PoolWindow }) {
  const value = window.remainingPercent
  return (
    <div className="space-y-2">
      <div className="flex items-baseline justify-between">
        <span className="text-sm text-muted-foreground">{label}</span>
        <span className="text-xl font-semibold tabular-nums">
          {value === null ? '–' : `${Math.round(value)}%`}
        </span>
      </div>
      <Progress
        value={value ?? 0}
        tone={value === null ? 'muted' : remainingTone(value)}
        className="h-2"
        aria-label={`${label} remaining`}
      />
      <p className="text-xs text-muted-foreground">
        {window.resetAt
          ? `Next reset ${formatRelative(window.resetAt)}`
          : 'remaining across the pool'}
      </p>
    </div>
  )
}

export function PoolCard({ pool }: { pool: PoolSummary }) {
  return (
    <Card className="h-full">
      <CardHeader>
        <CardTitle>Account pool</CardTitle>
        <CardDescription>
          {pool.total === 0
            ? 'No accounts yet'
            : `${pool.total} account${pool.total === 1 ? '' : 's'}`}
        </CardDescription>
        <CardAction>
          <Link href="/accounts" className="text-sm text-muted-foreground hover:text-foreground">
            Manage
          </Link>
        </CardAction>
      </CardHeader>
      <CardContent className="space-y-5">
        <div className="grid gap-5 sm:grid-cols-2">
          <WindowGauge label="5 h window" window={pool.primary} />
          <WindowGauge label="Weekly" window={pool.secondary} />
        </div>
        <ul className="grid grid-cols-2 gap-x-6 gap-y-1.5 border-t pt-4 text-sm">
          {STATUS_ROWS.map((row) => (
            <li
              key={row.key}
              className={cn(
                'flex items-center gap-2',
                pool.byStatus[row.key] === 0 && 'text-muted-foreground',
              )}
            >
              <span className={cn('size-2 rounded-full', row.dot)} aria-hidden="true" />
              <span className="flex-1 truncate">{row.label}</span>
              <span className="font-medium tabular-nums">{pool.byStatus[row.key]}</span>
            </li>
          ))}
          {pool.needsRelogin ? (
            <li className="flex items-center gap-2 text-destructive">
              <span className="size-2 rounded-full bg-destructive" aria-hidden="true" />
              <span className="flex-1 truncate">Needs re-login</span>
              <span className="font-medium tabular-nums">{pool.needsRelogin}</span>
            </li>
          ) : null}
        </ul>
      </CardContent>
    </Card>
  )
}
