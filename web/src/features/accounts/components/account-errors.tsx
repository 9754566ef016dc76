import type { AccountError } from '@codex-lb/shared'
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@/components/ui/table'
import { formatDateTime, formatLogTime } from '@/lib/format'

/** The account's last failed attempts, newest first (whatever the chosen range). */
export function AccountErrors({ errors }: { errors: AccountError[] }) {
  if (errors.length === 0) {
    return (
      <p className="py-6 text-center text-sm text-muted-foreground">
        No failed requests recorded for this account.
      </p>
    )
  }
  return (
    <Table>
      <TableHeader>
        <TableRow className="hover:bg-transparent">
          <TableHead>Time</TableHead>
          <TableHead>Model</TableHead>
          <TableHead>Code</TableHead>
          <TableHead>Message</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {errors.map((e) => (
          <TableRow key={`${e.requestId}-${e.requestedAt}`} data-testid="account-error-row">
            <TableCell className="whitespace-nowrap" title={formatDateTime(e.requestedAt)}>
              {formatLogTime(e.requestedAt)}
            </TableCell>
            <TableCell className="whitespace-nowrap">
              {e.model}
              {e.reasoningEffort ? (
                <span className="text-muted-foreground"> · {e.reasoningEffort}</span>
              ) : null}
            </TableCell>
            <TableCell className="font-mono text-xs whitespace-nowrap">
              {e.errorCode ?? 'error'}
              {e.httpStatus !== null ? (
                <span className="text-muted-foreground"> ({e.httpStatus})</span>
              ) : null}
            </TableCell>
            <TableCell className="max-w-md truncate" title={e.errorMessage ?? undefined}>
              {e.errorMessage ?? '–'}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  )
}
