/** A row of the original's database, by column name; values as its driver returns them. */
export type SourceRow = Record<string, unknown>

/**
 * The original's database, opened read-only. Columns are always selected by name: fresh and
 * upgraded SQLite files order them differently, and older revisions lack newer ones.
 */
export interface SourceDatabase {
  /** Shown in messages (a path, or the URL without its password). */
  readonly where: string
  readonly dialect: 'sqlite' | 'postgres'
  tables(): Promise<Set<string>>
  columns(table: string): Promise<Set<string>>
  /** Every row of `table` with these columns (absent ones are left out), in `orderBy` order. */
  rows(table: string, columns: readonly string[], orderBy?: string): Promise<SourceRow[]>
  /** Up to `limit` rows with an integer `id` above `afterId`, by id (keyset pages of big tables). */
  page(
    table: string,
    columns: readonly string[],
    afterId: number,
    limit: number,
  ): Promise<SourceRow[]>
  /** Rows of `table` with an `id` above `afterId` (all rows without it). */
  count(table: string, afterId?: number): Promise<number>
  close(): Promise<void>
}

/** Quotes an identifier the same way on both dialects. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}

/** The wanted columns that the table has, quoted, for a select list. */
export async function selectList(
  source: SourceDatabase,
  table: string,
  wanted: readonly string[],
): Promise<string[]> {
  const present = await source.columns(table)
  return wanted.filter((c) => present.has(c))
}
