import type { MigrationPlan, WriteCount } from './importer.js'
import { LISTED_ROWS, type SkippedRow, type StreamSummary, type TablePlan } from './plan.js'

function smallTables(plan: MigrationPlan): Array<TablePlan<unknown>> {
  return [plan.accounts, plan.apiKeys, plan.limits, plan.settings, plan.pins]
}

function listRows(title: string, rows: SkippedRow[], total = rows.length): string[] {
  if (rows.length === 0) return []
  const shown = rows.slice(0, LISTED_ROWS).map((r) => `      ${r.id}: ${r.reason}`)
  const more = total > shown.length ? [`      … and ${total - shown.length} more`] : []
  return [`    ${title}:`, ...shown, ...more]
}

function leftNotes(left: ReadonlyMap<string, number> | undefined): string[] {
  return [...(left ?? [])].map(([reason, n]) => `    note: ${n} ${reason}`)
}

/** Rows with values that cannot be carried over, over all tables (history only once scanned). */
export function badRowCount(plan: MigrationPlan): number {
  return (
    smallTables(plan).reduce((n, t) => n + t.bad.length, 0) +
    plan.history.reduce((n, t) => n + t.badTotal, 0)
  )
}

function formatSmall(t: TablePlan<unknown>): string[] {
  const parts = [`${t.rows.length - t.merged.length} to import`]
  if (t.merged.length > 0) parts.push(`${t.merged.length} merged`)
  if (t.left.length > 0) parts.push(`${t.left.length} left out`)
  if (t.bad.length > 0) parts.push(`${t.bad.length} cannot be imported`)
  return [
    `  ${t.table}: ${t.read} read, ${parts.join(', ')}`,
    ...listRows('merged', t.merged),
    ...listRows('cannot be imported', t.bad),
    ...listRows('left out', t.left),
    ...t.notes.map((note) => `    note: ${note}`),
  ]
}

function formatStream(t: StreamSummary): string[] {
  if (!t.scanned) return [`  ${t.table}: ${t.read} rows, imported in pages and checked as written`]
  const left = [...t.left.values()].reduce((a, b) => a + b, 0)
  const parts = [`${t.importable} to import`]
  if (left > 0) parts.push(`${left} left out`)
  if (t.badTotal > 0) parts.push(`${t.badTotal} cannot be imported`)
  return [
    `  ${t.table}: ${t.read} read, ${parts.join(', ')}`,
    ...listRows('cannot be imported', t.bad, t.badTotal),
    ...leftNotes(t.left),
  ]
}

/** What would be imported, table by table (no secret is ever part of a plan's reasons or notes). */
export function formatPlan(plan: MigrationPlan): string {
  const lines = [...smallTables(plan).flatMap(formatSmall), ...plan.history.flatMap(formatStream)]
  return lines.join('\n') + '\n'
}

export function formatBadRows(plan: MigrationPlan): string {
  const lines: string[] = []
  for (const t of smallTables(plan)) {
    if (t.bad.length > 0) lines.push(`  ${t.table}:`, ...listRows('', t.bad).slice(1))
  }
  for (const t of plan.history) {
    if (t.badTotal > 0) lines.push(`  ${t.table}:`, ...listRows('', t.bad, t.badTotal).slice(1))
  }
  return lines.join('\n')
}

export function formatWritten(counts: WriteCount[]): string {
  const lines: string[] = []
  for (const c of counts) {
    const parts = [`${c.written} imported`]
    if (c.merged) parts.push(`${c.merged} merged into existing accounts`)
    if (c.tokensTaken) parts.push(`${c.tokensTaken} with newer tokens taken`)
    if (c.alreadyThere > 0) parts.push(`${c.alreadyThere} already there`)
    if (c.skipped) parts.push(`${c.skipped} bad row(s) skipped`)
    lines.push(`  ${c.table}: ${parts.join(', ')}`, ...leftNotes(c.left))
  }
  return lines.join('\n') + '\n'
}
