import type { CompiledQuery, Kysely, Transaction } from 'kysely'
import type { Database, NewRequestLogRow } from '../../db/schema.js'
import { dailyRollupStatements } from './daily-rollup-rows.js'
import { ROLLUP_DIMENSIONS, ROLLUP_SUMS, rollupDeltas, type RollupDelta } from './rollup-rows.js'

/** Rows per statement: 1,000 rows of ~25 columns stay under both drivers' bound-parameter limits. */
export const ROWS_PER_STATEMENT = 1000

function rollupStatements(db: Kysely<Database>, deltas: RollupDelta[]): CompiledQuery[] {
  const statements: CompiledQuery[] = []
  for (let i = 0; i < deltas.length; i += ROWS_PER_STATEMENT) {
    const query = db
      .insertInto('request_log_rollups')
      .values(deltas.slice(i, i + ROWS_PER_STATEMENT))
      .onConflict((oc) =>
        oc
          .columns([...ROLLUP_DIMENSIONS])
          .doUpdateSet((eb) =>
            Object.fromEntries(
              ROLLUP_SUMS.map((s) => [
                s,
                eb(`request_log_rollups.${s}`, '+', eb.ref(`excluded.${s}`)),
              ]),
            ),
          ),
      )
    statements.push(query.compile())
  }
  return statements
}

/**
 * The statements that write a batch: the rows first (the first statement inserts the first
 * ROWS_PER_STATEMENT rows), then their hourly and daily rollups. Compiled, not run: the SQLite log
 * worker runs them on its own connection, off the event loop.
 */
export function requestLogStatements(
  db: Kysely<Database>,
  rows: readonly NewRequestLogRow[],
): CompiledQuery[] {
  const statements: CompiledQuery[] = []
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    statements.push(
      db
        .insertInto('request_logs')
        .values(rows.slice(i, i + ROWS_PER_STATEMENT))
        .compile(),
    )
  }
  const rollups = rollupDeltas(rows)
  return [...statements, ...rollupStatements(db, rollups), ...dailyRollupStatements(db, rollups)]
}

/**
 * The one way request-log rows are written: the rows, their hourly and daily rollups in one
 * transaction, so the dashboard's aggregates (read from those) never disagree with the rows.
 */
export async function insertRequestLogs(
  db: Kysely<Database>,
  rows: readonly NewRequestLogRow[],
): Promise<void> {
  if (rows.length === 0) return
  await db.transaction().execute((trx) => insertRequestLogsIn(trx, rows))
}

/** The same inside a transaction the caller holds (an import that writes other tables with them). */
export async function insertRequestLogsIn(
  trx: Transaction<Database>,
  rows: readonly NewRequestLogRow[],
): Promise<void> {
  for (const statement of requestLogStatements(trx, rows)) await trx.executeQuery(statement)
}
