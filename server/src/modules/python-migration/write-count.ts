/** Per original table: rows written now, and rows a previous run already brought over. */
export interface WriteCount {
  table: string
  written: number
  alreadyThere: number
  /** Rows with a bad value left out (--skip-bad-rows). */
  skipped?: number
  /** Rows left out on purpose, by reason. */
  left?: ReadonlyMap<string, number>
  /** Original accounts joined to an account this codex-lb already had under another id. */
  merged?: number
  /** Accounts whose tokens were replaced by the original's newer ones. */
  tokensTaken?: number
}
