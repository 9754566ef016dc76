import { Progress } from '@/components/ui/progress'
import { formatRelative } from '@/lib/format'
import { cn } from '@/lib/utils'
import { remainingTone } from '../account-state'
import { CeilingMarker } from './ceiling-marker'

/** Remaining share of a quota window, with when it resets. */
export function UsageMeter({
  label,
  remaining,
  resetAt,
  ceiling,
  className,
}: {
  label: string
  remaining: number | null | undefined
  resetAt?: string | null | undefined
  /** Usage ceiling in percent used (100 or absent: none), marked on the bar. */
  ceiling?: number | undefined
  className?: string
}) {
  const value = remaining ?? null
  return (
    <div className={cn('min-w-0 space-y-1.5', className)}>
      <div className="flex items-baseline justify-between gap-2 text-xs">
        <span className="text-muted-foreground">{label}</span>
        <span className="font-medium tabular-nums">
          {value === null ? '–' : `${Math.round(value)}%`}
        </span>
      </div>
      <div className="relative">
        <Progress
          value={value ?? 0}
          tone={value === null ? 'muted' : remainingTone(value)}
          aria-label={`${label} remaining`}
        />
        {ceiling !== undefined && ceiling < 100 ? <CeilingMarker ceiling={ceiling} /> : null}
      </div>
      <div className="h-4 truncate text-[11px] text-muted-foreground">
        {resetAt ? `resets ${formatRelative(resetAt)}` : ''}
      </div>
    </div>
  )
}
