import type { LimitRule } from '@codex-lb/shared'
import { Progress } from '@/components/ui/progress'
import { formatRelative } from '@/lib/format'
import { formatLimitValue, limitTitle } from '../limits'

export function LimitUsage({ rule }: { rule: LimitRule }) {
  const percent = rule.maxValue > 0 ? (rule.currentValue / rule.maxValue) * 100 : 0
  const tone = percent >= 90 ? 'destructive' : percent >= 70 ? 'warning' : 'brand'
  return (
    <div className="min-w-40 space-y-1">
      <div className="flex items-baseline justify-between gap-3 text-xs">
        <span className="truncate text-muted-foreground">{limitTitle(rule)}</span>
        <span className="font-medium whitespace-nowrap tabular-nums">
          {formatLimitValue(rule.limitType, rule.currentValue)} /{' '}
          {formatLimitValue(rule.limitType, rule.maxValue)}
        </span>
      </div>
      <Progress value={percent} tone={tone} aria-label={limitTitle(rule)} />
      <div className="text-[11px] text-muted-foreground">resets {formatRelative(rule.resetAt)}</div>
    </div>
  )
}
