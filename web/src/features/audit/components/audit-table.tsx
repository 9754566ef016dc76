import type { AuditEntry } from '@codex-lb/shared'
import { Badge } from '@/components/ui/badge'
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@/components/ui/table'
import { formatDateTime } from '@/lib/format'
import { actionWords, detailsWords } from '../words'

/** What the entry acted on: an email when the details name one, else the type and id. */
function targetWords(entry: AuditEntry): string {
  const email = entry.details?.['email']
  if (typeof email === 'string' && email) return email
  const name = entry.details?.['name']
  if (typeof name === 'string' && name) return name
  if (entry.targetType === 'dashboard') return 'Dashboard'
  if (!entry.targetType) return '–'
  return entry.targetId ? `${entry.targetType} ${entry.targetId}` : entry.targetType
}

export function AuditTable({ entries }: { entries: AuditEntry[] }) {
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>Time</TableHead>
          <TableHead>Action</TableHead>
          <TableHead>Target</TableHead>
          <TableHead>Outcome</TableHead>
          <TableHead>Client</TableHead>
          <TableHead>Details</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {entries.map((entry) => {
          const details = detailsWords(entry.details)
          return (
            <TableRow key={entry.id} data-testid="audit-row">
              <TableCell className="whitespace-nowrap tabular-nums">
                {formatDateTime(entry.occurredAt)}
              </TableCell>
              <TableCell className="font-medium whitespace-nowrap" title={entry.action}>
                {actionWords(entry.action)}
              </TableCell>
              <TableCell>
                <span className="block max-w-56 truncate" title={entry.targetId ?? undefined}>
                  {targetWords(entry)}
                </span>
              </TableCell>
              <TableCell>
                <Badge variant={entry.outcome === 'success' ? 'success' : 'destructive'}>
                  {entry.outcome === 'success' ? 'Success' : 'Failed'}
                </Badge>
              </TableCell>
              <TableCell
                className="whitespace-nowrap tabular-nums"
                title={entry.userAgent ? `User-Agent: ${entry.userAgent}` : undefined}
              >
                {entry.clientIp ?? <span className="text-muted-foreground">–</span>}
              </TableCell>
              <TableCell className="text-muted-foreground">
                <span className="block max-w-md truncate" title={details}>
                  {details || '–'}
                </span>
              </TableCell>
            </TableRow>
          )
        })}
      </TableBody>
    </Table>
  )
}
