import type { TrendPoint } from '@codex-lb/shared'
import type { ReactNode } from 'react'
import { Card, CardContent } from '@/components/ui/card'
import { Sparkline } from './sparkline'

export function StatCard({
  label,
  value,
  hint,
  trend,
  color,
}: {
  label: string
  value: ReactNode
  hint?: ReactNode
  trend?: TrendPoint[]
  color?: string
}) {
  return (
    <Card className="gap-2 pb-0">
      <CardContent className="space-y-1">
        <p className="text-sm text-muted-foreground">{label}</p>
        <p className="text-2xl font-semibold tracking-tight tabular-nums">{value}</p>
        <p className="h-4 truncate text-xs text-muted-foreground">{hint}</p>
      </CardContent>
      <div className="overflow-hidden rounded-b-xl">
        <Sparkline points={trend ?? []} {...(color ? { color } : {})} />
      </div>
    </Card>
  )
}
