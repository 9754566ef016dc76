import type { RequestLogAttempt } from '@codex-lb/shared'
import { ArrowDown } from 'lucide-react'
import { Fragment } from 'react'
import { cn } from '@/lib/utils'
import { LOG_STATUS_META } from './status-chip'

/** Who the attempt went to: the account's alias or email, or the overflow upstream. */
export function attemptSource(a: RequestLogAttempt): string {
  if (a.overflowUpstreamId) return `overflow · ${a.overflowUpstreamName ?? 'deleted upstream'}`
  if (!a.accountId) return 'no account'
  if (a.accountDeleted) return 'deleted account'
  return a.accountAlias || a.accountEmail || a.accountId
}

/** How it ended, as one phrase: "served", or "429 rate_limit_exceeded". */
export function attemptOutcome(a: RequestLogAttempt): string {
  if (a.status === 'ok') return 'served'
  const http = a.httpStatus && a.httpStatus >= 400 ? String(a.httpStatus) : null
  return [http, a.errorCode ?? LOG_STATUS_META[a.status]?.label ?? a.status]
    .filter(Boolean)
    .join(' ')
}

/**
 * Every attempt of one request, oldest first, so a failover reads as one story (A — 429 → B —
 * served). The attempt whose fields are shown is highlighted; clicking another shows its fields.
 */
export function AttemptChain({
  chain,
  shownId,
  onShow,
}: {
  chain: RequestLogAttempt[]
  shownId: number
  onShow(id: number): void
}) {
  return (
    <ol aria-label="Attempts" className="space-y-1">
      {chain.map((a, i) => {
        const shown = a.id === shownId
        return (
          <Fragment key={a.id}>
            {i > 0 ? (
              <li aria-hidden className="flex justify-center text-muted-foreground">
                <ArrowDown className="size-3.5" />
              </li>
            ) : null}
            <li>
              <button
                type="button"
                data-testid="chain-attempt"
                aria-current={shown ? 'true' : undefined}
                onClick={() => onShow(a.id)}
                className={cn(
                  'flex w-full items-center gap-2 rounded-md border px-3 py-2 text-left text-sm transition-colors hover:bg-accent focus-visible:ring-[3px] focus-visible:ring-ring/40 focus-visible:outline-none',
                  shown && 'border-foreground/30 bg-accent font-medium',
                )}
              >
                <span className="text-xs text-muted-foreground tabular-nums">{i + 1}.</span>
                <span className="min-w-0 flex-1 truncate">{attemptSource(a)}</span>
                <span
                  className={cn(
                    'shrink-0 font-mono text-xs',
                    a.status === 'ok' ? 'text-success' : 'text-destructive',
                  )}
                >
                  {attemptOutcome(a)}
                </span>
              </button>
            </li>
          </Fragment>
        )
      })}
    </ol>
  )
}
