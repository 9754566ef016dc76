import type { AccountSummary, RequestLogEntry } from '@codex-lb/shared'
import type { KeyboardEvent } from 'react'
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
import type { LogColumnId } from '../columns'
import { StatusChip } from './status-chip'

/** Columns the compact (overview) table leaves out. */
const FULL_ONLY: ReadonlySet<LogColumnId> = new Set(['cost', 'latency', 'client', 'error'])

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

/** Row props that open the detail panel (rows from a server without ids stay plain). */
function selectableRow(
  r: RequestLogEntry,
  onSelect: ((entry: RequestLogEntry & { id: number }) => void) | undefined,
  selectedId: number | null | undefined,
) {
  const id = r.id
  if (!onSelect || id === undefined) return {}
  const open = () => onSelect({ ...r, id })
  return {
    tabIndex: 0,
    'aria-label': `Request ${r.requestId}: show details`,
    'data-state': id === selectedId ? 'selected' : undefined,
    className: `cursor-pointer focus-visible:bg-muted/60 focus-visible:outline-none ${
      id === selectedId ? 'bg-muted/60' : ''
    }`,
    onClick: open,
    onKeyDown: (e: KeyboardEvent<HTMLTableRowElement>) => {
      if (e.key !== 'Enter' || e.target !== e.currentTarget) return
      e.preventDefault()
      open()
    },
  }
}

export function RequestLogsTable({
  requests,
  accounts,
  compact = false,
  onSelect,
  selectedId,
  hidden,
}: {
  requests: RequestLogEntry[]
  accounts: Map<string, AccountSummary> | undefined
  compact?: boolean
  /** Makes each row open its detail: on click, and on Enter when the row has focus. */
  onSelect?: (entry: RequestLogEntry & { id: number }) => void
  selectedId?: number | null
  /** Optional columns the user chose not to see (Time always shows). */
  hidden?: ReadonlySet<LogColumnId>
}) {
  const show = (id: LogColumnId) => !hidden?.has(id) && !(compact && FULL_ONLY.has(id))
  return (
    <Table>
      <TableHeader>
        <TableRow className="hover:bg-transparent">
          <TableHead>Time</TableHead>
          {show('account') && <TableHead>Account</TableHead>}
          {show('model') && <TableHead>Model</TableHead>}
          {show('status') && <TableHead>Status</TableHead>}
          {show('tokens') && <TableHead className="text-right">Tokens</TableHead>}
          {show('cost') && <TableHead className="text-right">Cost</TableHead>}
          {show('latency') && <TableHead className="text-right">Latency</TableHead>}
          {show('client') && <TableHead>Client</TableHead>}
          {show('error') && <TableHead>Error</TableHead>}
        </TableRow>
      </TableHeader>
      <TableBody>
        {requests.map((r) => (
          <TableRow
            key={r.id ?? `${r.requestId}-${r.requestedAt}`}
            data-testid="request-log-row"
            {...selectableRow(r, onSelect, selectedId)}
          >
            <TableCell
              className="whitespace-nowrap tabular-nums"
              title={formatDateTime(r.requestedAt)}
            >
              {formatLogTime(r.requestedAt)}
            </TableCell>
            {show('account') && (
              <TableCell>
                {r.overflowUpstreamId ? (
                  <OverflowLabel name={r.overflowUpstreamName} />
                ) : (
                  <AccountLabel accountId={r.accountId} accounts={accounts} />
                )}
              </TableCell>
            )}
            {show('model') && (
              <TableCell className="whitespace-nowrap">
                <span className="font-mono text-xs">{r.model}</span>
                {r.reasoningEffort && !compact ? (
                  <span className="ml-1.5 text-xs text-muted-foreground">{r.reasoningEffort}</span>
                ) : null}
              </TableCell>
            )}
            {show('status') && (
              <TableCell>
                <StatusChip status={r.status} />
              </TableCell>
            )}
            {show('tokens') && (
              <TableCell className="text-right whitespace-nowrap tabular-nums">
                {formatCompact(r.tokens)}
                {r.cachedInputTokens && !compact ? (
                  <span className="ml-1 text-xs text-muted-foreground" title="Cached input tokens">
                    ({formatCompact(r.cachedInputTokens)} cached)
                  </span>
                ) : null}
              </TableCell>
            )}
            {show('cost') && (
              <TableCell className="text-right tabular-nums">{formatUsd(r.costUsd)}</TableCell>
            )}
            {show('latency') && (
              <TableCell className="text-right whitespace-nowrap tabular-nums">
                {formatLatency(r.latencyMs)}
              </TableCell>
            )}
            {show('client') && (
              <TableCell>
                <ClientLabel ip={r.clientIp} userAgent={r.userAgent} />
              </TableCell>
            )}
            {show('error') && (
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
