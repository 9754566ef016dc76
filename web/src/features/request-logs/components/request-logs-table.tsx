import type { AccountSummary, RequestLogEntry } from '@codex-lb/shared'
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@/components/ui/table'
import {
  formatCompact,
  formatDateTime,
  formatLatency,
  formatLogTime,
  formatUsd,
} from '@/lib/format'
import { accountLabel } from '@/features/accounts'
import { StatusChip } from './status-chip'

export function AccountLabel({
  accountId,
  accounts,
}: {
  accountId: string | null | undefined
  accounts: Map<string, AccountSummary> | undefined
}) {
  if (!accountId) return <span className="text-muted-foreground">–</span>
  const account = accounts?.get(accountId)
  // Logs outlive the accounts they name; an id we no longer know is a deleted account.
  if (accounts && !account)
    return (
      <span className="whitespace-nowrap text-muted-foreground italic" title={accountId}>
        deleted account
      </span>
    )
  return (
    <span className="block max-w-56 truncate" title={account?.email || accountId}>
      {account ? accountLabel(account) : accountId}
    </span>
  )
}

/** A request an overflow upstream served: its name (gone once the upstream was deleted). */
function OverflowLabel({ name }: { name: string | null | undefined }) {
  return (
    <span className="block max-w-56 truncate" title="Served by an overflow upstream">
      <span className="text-muted-foreground">overflow · </span>
      {name ?? <span className="italic">deleted upstream</span>}
    </span>
  )
}

/** Who sent it: the address, with the User-Agent in its tooltip (both null on older rows). */
function ClientLabel({
  ip,
  userAgent,
}: {
  ip: string | null | undefined
  userAgent: string | null | undefined
}) {
  if (!ip && !userAgent) return <span className="text-muted-foreground">–</span>
  return (
    <span
      className="block max-w-40 truncate font-mono text-xs"
      title={userAgent ? `User-Agent: ${userAgent}` : 'No User-Agent'}
      data-testid="request-log-client"
    >
      {ip ?? 'unknown'}
    </span>
  )
}

export function RequestLogsTable({
  requests,
  accounts,
  compact = false,
}: {
  requests: RequestLogEntry[]
  accounts: Map<string, AccountSummary> | undefined
  compact?: boolean
}) {
  return (
    <Table>
      <TableHeader>
        <TableRow className="hover:bg-transparent">
          <TableHead>Time</TableHead>
          <TableHead>Account</TableHead>
          <TableHead>Model</TableHead>
          <TableHead>Status</TableHead>
          <TableHead className="text-right">Tokens</TableHead>
          {compact ? null : <TableHead className="text-right">Cost</TableHead>}
          {compact ? null : <TableHead className="text-right">Latency</TableHead>}
          {compact ? null : <TableHead>Client</TableHead>}
          {compact ? null : <TableHead>Error</TableHead>}
        </TableRow>
      </TableHeader>
      <TableBody>
        {requests.map((r) => (
          <TableRow key={`${r.requestId}-${r.requestedAt}`} data-testid="request-log-row">
            <TableCell
              className="whitespace-nowrap tabular-nums"
              title={formatDateTime(r.requestedAt)}
            >
              {formatLogTime(r.requestedAt)}
            </TableCell>
            <TableCell>
              {r.overflowUpstreamId ? (
                <OverflowLabel name={r.overflowUpstreamName} />
              ) : (
                <AccountLabel accountId={r.accountId} accounts={accounts} />
              )}
            </TableCell>
            <TableCell className="whitespace-nowrap">
              <span className="font-mono text-xs">{r.model}</span>
              {r.reasoningEffort && !compact ? (
                <span className="ml-1.5 text-xs text-muted-foreground">{r.reasoningEffort}</span>
              ) : null}
            </TableCell>
            <TableCell>
              <StatusChip status={r.status} />
            </TableCell>
            <TableCell className="text-right whitespace-nowrap tabular-nums">
              {formatCompact(r.tokens)}
              {r.cachedInputTokens && !compact ? (
                <span className="ml-1 text-xs text-muted-foreground" title="Cached input tokens">
                  ({formatCompact(r.cachedInputTokens)} cached)
                </span>
              ) : null}
            </TableCell>
            {compact ? null : (
              <TableCell className="text-right tabular-nums">{formatUsd(r.costUsd)}</TableCell>
            )}
            {compact ? null : (
              <TableCell className="text-right whitespace-nowrap tabular-nums">
                {formatLatency(r.latencyMs)}
              </TableCell>
            )}
            {compact ? null : (
              <TableCell>
                <ClientLabel ip={r.clientIp} userAgent={r.userAgent} />
              </TableCell>
            )}
            {compact ? null : (
              <TableCell className="max-w-72">
                {r.errorCode || r.errorMessage ? (
                  <span
                    className="block truncate text-xs"
                    title={r.errorMessage ?? r.errorCode ?? ''}
                  >
                    {r.errorCode ? <code className="font-mono">{r.errorCode}</code> : null}
                    {r.errorCode && r.errorMessage ? ' · ' : null}
                    <span className="text-muted-foreground">{r.errorMessage}</span>
                  </span>
                ) : null}
              </TableCell>
            )}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  )
}
