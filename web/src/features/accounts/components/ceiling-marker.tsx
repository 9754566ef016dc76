import { percentLabel } from '../headroom'

/**
 * A tick on a remaining-quota bar where the usage ceiling sits: once the bar drains past it, routing
 * leaves the account alone until the window resets. The bar shows what is left, so a ceiling of
 * 80 % used sits at 20 % from the left.
 */
export function CeilingMarker({ ceiling }: { ceiling: number }) {
  const left = Math.max(0, Math.min(100, 100 - ceiling))
  const text = `Usage ceiling ${percentLabel(ceiling)} used: routing skips this account with less than ${percentLabel(left)} left, until the window resets`
  return (
    <span
      role="img"
      data-testid="usage-ceiling"
      aria-label={text}
      title={text}
      className="absolute -top-1 flex h-3.5 w-2 -translate-x-1/2 cursor-help justify-center"
      style={{ left: `${left}%` }}
    >
      <span className="h-full w-0.5 rounded-full bg-foreground/70" />
    </span>
  )
}
