import type { MigrationPlan, WriteCount } from './importer.js'
import type { SkippedRow, TablePlan } from './plan.js'

const SHOWN_ROWS = 20

function tables(plan: MigrationPlan): Array<TablePlan<unknown>> {
  return Object.values(plan) as Array<TablePlan<unknown>>
}

function listRows(title: string, rows: SkippedRow[]): string[] {
  if (rows.length === 0) return []
  const shown = rows.slice(0, SHOWN_ROWS).map((r) => `      ${r.id}: ${r.reason}`)
  const more = rows.length > SHOWN_ROWS ? [`      … and ${rows.length - SHOWN_ROWS} more`] : []
  return [`    ${title}:`, ...shown, ...more]
}

/** Rows with values that cannot be carried over, over all tables. */
export function badRowCount(plan: MigrationPlan): number {
  return tables(plan).reduce((n, t) => n + t.bad.length, 0)
}

/** What would be imported, table by table (no secret is ever part of a plan's reasons or notes). */
export function formatPlan(plan: MigrationPlan): string {
  const lines: string[] = []
  for (const t of tables(plan)) {
    const parts = [`${t.rows.length} to import`]
    if (t.left.length > 0) parts.push(`${t.left.length} left out`)
    if (t.bad.length > 0) parts.push(`${t.bad.length} cannot be imported`)
    lines.push(`  ${t.table}: ${t.read} read, ${parts.join(', ')}`)
    lines.push(...listRows('cannot be imported', t.bad))
    lines.push(...listRows('left out', t.left))
    for (const note of t.notes) lines.push(`    note: ${note}`)
  }
  return lines.join('\n') + '\n'
}

export function formatBadRows(plan: MigrationPlan): string {
  const lines: string[] = []
  for (const t of tables(plan)) {
    if (t.bad.length > 0)
      lines.push(`  ${t.table}:`, ...listRows('cannot be imported', t.bad).slice(1))
  }
  return lines.join('\n')
}

export function formatWritten(counts: WriteCount[]): string {
  return (
    counts
      .map(
        (c) =>
          `  ${c.table}: ${c.written} imported` +
          (c.alreadyThere > 0 ? `, ${c.alreadyThere} already there` : ''),
      )
      .join('\n') + '\n'
  )
}
