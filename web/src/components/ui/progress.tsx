import type { ComponentProps } from 'react'
import { cn } from '@/lib/utils'

/** A thin bar; `tone` colours it (usage bars go amber then red as they fill or drain). */
export function Progress({
  value,
  tone = 'brand',
  className,
  ...props
}: ComponentProps<'div'> & {
  value: number
  tone?: 'brand' | 'success' | 'warning' | 'destructive' | 'muted'
}) {
  const clamped = Math.max(0, Math.min(100, value))
  return (
    <div
      data-slot="progress"
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(clamped)}
      className={cn('h-1.5 w-full overflow-hidden rounded-full bg-muted', className)}
      {...props}
    >
      <div
        className={cn('h-full rounded-full transition-[width] duration-500', {
          'bg-brand': tone === 'brand',
          'bg-success': tone === 'success',
          'bg-warning': tone === 'warning',
          'bg-destructive': tone === 'destructive',
          'bg-muted-foreground/50': tone === 'muted',
        })}
        style={{ width: `${clamped}%` }}
      />
    </div>
  )
}
