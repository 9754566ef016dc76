import type { Report, ReportSums } from '@codex-lb/shared'
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@/components/ui/table'
import { formatInteger, formatUsd } from '@/lib/format'
import { cn } from '@/lib/utils'

const COLUMNS: Array<[string, (s: ReportSums) => string]> = [
  ['Requests', (s) => formatInteger(s.requests)],
  ['Errors', (s) => formatInteger(s.errors)],
  ['Input', (s) => formatInteger(s.inputTokens)],
  ['Cached', (s) => formatInteger(s.cachedInputTokens)],
  ['Output', (s) => formatInteger(s.outputTokens)],
  ['Reasoning', (s) => formatInteger(s.reasoningTokens)],
  ['Cost', (s) => formatUsd(s.costUsd)],
]

function total(report: Report): ReportSums {
  const sum = (pick: (s: ReportSums) => number) => report.groups.reduce((n, g) => n + pick(g), 0)
  return {
    requests: sum((s) => s.requests),
    errors: sum((s) => s.errors),
    inputTokens: sum((s) => s.inputTokens),
    cachedInputTokens: sum((s) => s.cachedInputTokens),
    outputTokens: sum((s) => s.outputTokens),
    reasoningTokens: sum((s) => s.reasoningTokens),
    costUsd: sum((s) => s.costUsd),
  }
}

/** Each group's totals over the range, and the sum of all of them. */
export function ReportTable({ report, groupLabel }: { report: Report; groupLabel: string }) {
  const sums = total(report)
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>{groupLabel}</TableHead>
          {COLUMNS.map(([name]) => (
            <TableHead key={name} className="text-right">
              {name}
            </TableHead>
          ))}
        </TableRow>
      </TableHeader>
      <TableBody>
        {report.groups.map((g) => (
          <TableRow key={g.key ?? ''}>
            <TableCell
              className={cn(
                'max-w-64 truncate',
                (g.deleted || g.key === null) && 'text-muted-foreground italic',
              )}
              title={g.key ?? undefined}
            >
              {g.label}
            </TableCell>
            {COLUMNS.map(([name, cell]) => (
              <TableCell key={name} className="text-right tabular-nums">
                {cell(g)}
              </TableCell>
            ))}
          </TableRow>
        ))}
        <TableRow className="font-medium">
          <TableCell>Total</TableCell>
          {COLUMNS.map(([name, cell]) => (
            <TableCell key={name} className="text-right tabular-nums">
              {cell(sums)}
            </TableCell>
          ))}
        </TableRow>
      </TableBody>
    </Table>
  )
}
