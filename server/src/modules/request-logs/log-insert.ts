import { CompiledQuery, type Kysely, type Transaction } from 'kysely'
import type { Database, NewRequestLogRow } from '../../db/schema.js'
import { dailyRollupStatements } from './daily-rollup-rows.js'
import { ROLLUP_DIMENSIONS, ROLLUP_SUMS, rollupDeltas, type RollupDelta } from './rollup-rows.js'
import { compileEachTime, type CompileRows, type Statement } from './statement-shapes.js'

/** Rows per statement: 1,000 rows of ~25 columns stay under both drivers' bound-parameter limits. */
export const ROWS_PER_STATEMENT = 1000

function rollupStatements(
  db: Kysely<Database>,
  deltas: RollupDelta[],
  compile: CompileRows,
): Statement[] {
  const statements: Statement[] = []
  for (let i = 0; i < deltas.length; i += ROWS_PER_STATEMENT) {
    const build = (values: RollupDelta[]) =>
      db
        .insertInto('request_log_rollups')
        .values(values)
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
    statements.push(compile(deltas.slice(i, i + ROWS_PER_STATEMENT), build))
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
  compile: CompileRows = compileEachTime,
): Statement[] {
  const statements: Statement[] = []
  const build = (values: NewRequestLogRow[]) => db.insertInto('request_logs').values(values)
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    statements.push(compile(rows.slice(i, i + ROWS_PER_STATEMENT), build))
  }
  const rollups = rollupDeltas(rows)
  return [
    ...statements,
    ...rollupStatements(db, rollups, compile),
    ...dailyRollupStatements(db, rollups, compile),
  ]
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
  for (const { sql, parameters } of requestLogStatements(trx, rows)) {
    await trx.executeQuery(CompiledQuery.raw(sql, [...parameters]))
  }
}
