/** A row of the original that is not carried over, and why (never with a secret in it). */
export interface SkippedRow {
  id: string
  reason: string
}

/** What one table of the original turns into. */
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
  /** What of the table is not carried over as a whole (columns this codex-lb has no place for). */
  notes: string[]
}

export function emptyPlan<Row>(table: string): TablePlan<Row> {
  return { table, read: 0, rows: [], bad: [], left: [], notes: [] }
}

/** What the mappers need: the original's decryption (FernetError per value) and the time of the run. */
export interface MapContext {
  decrypt(stored: unknown): string
  now: number
  stickySessionTtlMs: number
}
