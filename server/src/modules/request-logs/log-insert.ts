import type { Kysely, Transaction } from 'kysely'
import type { Database, NewRequestLogRow } from '../../db/schema.js'
import { upsertDailyRollups } from './daily-rollup-rows.js'
import { ROLLUP_DIMENSIONS, ROLLUP_SUMS, rollupDeltas, type RollupDelta } from './rollup-rows.js'

/** Rows per statement: 1,000 rows of ~25 columns stay under both drivers' bound-parameter limits. */
const ROWS_PER_STATEMENT = 1000

async function upsertRollups(trx: Transaction<Database>, deltas: RollupDelta[]): Promise<void> {
  for (let i = 0; i < deltas.length; i += ROWS_PER_STATEMENT) {
    await trx
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
      .execute()
  }
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
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    await trx
      .insertInto('request_logs')
      .values(rows.slice(i, i + ROWS_PER_STATEMENT))
      .execute()
  }
  const rollups = rollupDeltas(rows)
  await upsertRollups(trx, rollups)
  await upsertDailyRollups(trx, rollups)
}
