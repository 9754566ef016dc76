/** A row of the original that is not carried over, and why (never with a secret in it). */
export interface SkippedRow {
  id: string
  reason: string
}

/** What one (small) table of the original turns into, held in memory. */
export interface TablePlan<Row> {
  /** The original's table name. */
  table: string
  /** Rows read from it. */
  read: number
  rows: Row[]
  /** Rows that cannot be carried over: a bad value (stops the run unless --skip-bad-rows). */
  bad: SkippedRow[]
  /** Rows left out on purpose (pending deletion, stale): listed, never an error. */
  left: SkippedRow[]
  /** Rows that join a row already in this codex-lb (the same account under another id). */
  merged: SkippedRow[]
  /** What of the table is not carried over as a whole (columns this codex-lb has no place for). */
  notes: string[]
}

export function emptyPlan<Row>(table: string): TablePlan<Row> {
  return { table, read: 0, rows: [], bad: [], left: [], merged: [], notes: [] }
}

/** Rows listed by name in a report; the rest are only counted. */
export const LISTED_ROWS = 20

/**
 * A big append-only table (usage history, request logs), read in keyset pages and never held:
 * its counts, the first bad rows, and counts of rows left out by reason.
 */
export interface StreamSummary {
  table: string
  /** Rows in the table (count(*)). */
  read: number
  /** Whether every row was mapped (dry run) or only counted (a real run checks rows as it writes). */
  scanned: boolean
  importable: number
  bad: SkippedRow[]
  badTotal: number
  /** Left-out rows by reason. */
  left: Map<string, number>
}

export function emptySummary(table: string, read: number, scanned: boolean): StreamSummary {
  return { table, read, scanned, importable: 0, bad: [], badTotal: 0, left: new Map() }
}

/** Counts a bad row, keeping only the first few for the report. */
export function noteBad(summary: StreamSummary, row: SkippedRow): void {
  summary.badTotal += 1
  if (summary.bad.length < LISTED_ROWS) summary.bad.push(row)
}

export function noteLeft(summary: StreamSummary, reason: string): void {
  summary.left.set(reason, (summary.left.get(reason) ?? 0) + 1)
}

/** What the mappers need: the original's decryption (FernetError per value) and the time of the run. */
export interface MapContext {
  decrypt(stored: unknown): string
  now: number
  stickySessionTtlMs: number
}
