import type { Transaction } from 'kysely'
import type { Database } from '../../db/index.js'
import { HISTORY_TABLES, streamInto, type HistoryTableName, type IdMaps } from './history-stream.js'
import type { ImportedPin } from './map-history.js'
import type { TablePlan } from './plan.js'
import type { SourceDatabase } from './source.js'
import type { WriteCount } from './write-count.js'

/** The watermark's row: per table and per original installation. */
function watermarkKey(table: HistoryTableName, installId: string): string {
  return `${table}:${installId}`
}

async function watermark(trx: Transaction<Database>, key: string): Promise<number> {
  const row = await trx
    .selectFrom('python_import')
    .select('last_id')
    .where('source_table', '=', key)
    .executeTakeFirst()
  return Number(row?.last_id ?? 0)
}

async function setWatermark(
  trx: Transaction<Database>,
  key: string,
  lastId: number,
  now: number,
): Promise<void> {
  await trx
    .insertInto('python_import')
    .values({ source_table: key, last_id: lastId, imported_at: now })
    .onConflict((oc) =>
      oc.column('source_table').doUpdateSet({ last_id: lastId, imported_at: now }),
    )
    .execute()
}

export interface HistoryOptions {
  ids: IdMaps
  pageSize: number
  skipBadRows: boolean
  now: number
  installId: string
}

/**
 * Append-only history (usage samples and request logs are never rewritten by the original): the
 * rows above the last original id a previous run took, streamed from the source in pages, then the
 * new watermark. Pins are few and fresh: written by key, those already there kept.
 */
export async function writeHistory(
  trx: Transaction<Database>,
  source: SourceDatabase,
  pins: TablePlan<ImportedPin>,
  options: HistoryOptions,
): Promise<WriteCount[]> {
  const counts: WriteCount[] = []
  for (const spec of HISTORY_TABLES) {
    const key = watermarkKey(spec.table, options.installId)
    const afterId = await watermark(trx, key)
    const result = await streamInto(trx, source, spec, { ...options, afterId })
    if (result.top > afterId) await setWatermark(trx, key, result.top, options.now)
    counts.push({
      table: spec.table,
      written: result.written,
      alreadyThere: result.alreadyThere,
      skipped: result.summary.badTotal,
      left: result.summary.left,
    })
  }
  let pinned = 0
  let kept = 0
  for (const pin of pins.rows) {
    const account = options.ids.accounts.get(pin.account_id)
    if (account === undefined) continue
    const r = await trx
      .insertInto('sticky_sessions')
      .values({ ...pin, account_id: account })
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst()
    const n = Number(r.numInsertedOrUpdatedRows ?? 0)
    pinned += n
    kept += 1 - n
  }
  counts.push({ table: 'sticky_sessions', written: pinned, alreadyThere: kept })
  return counts
}
