import type { AccountHistory } from '@codex-lb/shared'
import { Progress } from '@/components/ui/progress'
import { formatCompact, formatInteger, formatPercent } from '@/lib/format'

function Share({ label, mine, total }: { label: string; mine: number; total: number }) {
  const percent = total > 0 ? (mine / total) * 100 : 0
  return (
    <div className="space-y-1.5">
      <div className="flex items-baseline justify-between gap-3 text-sm">
        <span className="text-muted-foreground">{label}</span>
        <span>
          <span className="font-medium tabular-nums" title={formatInteger(mine)}>
            {formatCompact(mine)}
          </span>
          <span className="text-muted-foreground">
            {' '}
            of {formatCompact(total)} · {formatPercent(percent)}
          </span>
        </span>
      </div>
      <Progress
        value={percent}
        aria-label={`${label}: ${formatPercent(percent)} of all accounts`}
      />
    </div>
  )
}

/** This account's requests and tokens beside every account's over the chosen range. */
export function TrafficShare({ traffic }: { traffic: AccountHistory['traffic'] }) {
  return (
    <div className="space-y-4" data-testid="traffic-share">
      <Share label="Requests" mine={traffic.requests} total={traffic.totalRequests} />
      <Share label="Tokens" mine={traffic.tokens} total={traffic.totalTokens} />
    </div>
  )
}
