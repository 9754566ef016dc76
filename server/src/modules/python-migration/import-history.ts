import type { Transaction } from 'kysely'
import type { Database } from '../../db/index.js'
import { insertRequestLogsIn } from '../request-logs/index.js'
import type { ImportedLog, ImportedPin, ImportedUsage } from './map-history.js'
import type { TablePlan } from './plan.js'
import type { WriteCount } from './write-count.js'

const CHUNK = 500

type Watermarked = 'usage_history' | 'request_logs'

async function watermark(trx: Transaction<Database>, table: Watermarked): Promise<number> {
  const row = await trx
    .selectFrom('python_import')
    .select('last_id')
    .where('source_table', '=', table)
    .executeTakeFirst()
  return row?.last_id ?? 0
}

async function setWatermark(
  trx: Transaction<Database>,
  table: Watermarked,
  lastId: number,
  now: number,
): Promise<void> {
  await trx
    .insertInto('python_import')
    .values({ source_table: table, last_id: lastId, imported_at: now })
    .onConflict((oc) =>
      oc.column('source_table').doUpdateSet({ last_id: lastId, imported_at: now }),
    )
    .execute()
}

/**
 * Append-only history: rows above the last original id a previous run took (usage samples and
 * request logs are never rewritten by the original), then the new watermark.
 */
async function appendRows<Row extends { source_id: number }>(
  trx: Transaction<Database>,
  plan: TablePlan<Row>,
  table: Watermarked,
  write: (rows: Row[]) => Promise<void>,
  now: number,
): Promise<WriteCount> {
  const last = await watermark(trx, table)
  const fresh = plan.rows.filter((r) => r.source_id > last)
  await write(fresh)
  const top = Math.max(last, ...fresh.map((r) => r.source_id))
  if (fresh.length > 0) await setWatermark(trx, table, top, now)
  return { table, written: fresh.length, alreadyThere: plan.rows.length - fresh.length }
}

export async function writeHistory(
  trx: Transaction<Database>,
  plans: {
    usage: TablePlan<ImportedUsage>
    logs: TablePlan<ImportedLog>
    pins: TablePlan<ImportedPin>
  },
  now: number,
): Promise<WriteCount[]> {
  const usage = await appendRows(
    trx,
    plans.usage,
    'usage_history',
    async (rows) => {
      const values = rows.map(({ source_id: _id, ...row }) => row)
      for (let i = 0; i < values.length; i += CHUNK) {
        await trx
          .insertInto('usage_history')
          .values(values.slice(i, i + CHUNK))
          .execute()
      }
    },
    now,
  )
  const logs = await appendRows(
    trx,
    plans.logs,
    'request_logs',
    (rows) =>
      insertRequestLogsIn(
        trx,
        rows.map(({ source_id: _id, ...row }) => row),
      ),
    now,
  )
  let pinned = 0
  for (const pin of plans.pins.rows) {
    const r = await trx
      .insertInto('sticky_sessions')
      .values(pin)
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst()
    pinned += Number(r.numInsertedOrUpdatedRows ?? 0)
  }
  return [
    usage,
    logs,
    { table: 'sticky_sessions', written: pinned, alreadyThere: plans.pins.rows.length - pinned },
  ]
}
