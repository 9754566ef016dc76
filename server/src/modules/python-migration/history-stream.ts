import type { Transaction } from 'kysely'
import type { Database } from '../../db/index.js'
import { insertRequestLogsIn } from '../request-logs/index.js'
import {
  LOG_COLUMNS,
  USAGE_COLUMNS,
  mapLog,
  mapUsage,
  type ImportedLog,
  type ImportedUsage,
  type RowOutcome,
} from './map-history.js'
import { emptySummary, noteBad, noteLeft, type StreamSummary } from './plan.js'
import type { SourceDatabase, SourceRow } from './source.js'
import { text } from './values.js'

/*
 * Usage history and request logs can be millions of rows: they are never held whole. They are read
 * in keyset pages by the original's integer id and each page is mapped and written before the next
 * is read, inside the import's one transaction.
 */

export const DEFAULT_PAGE_SIZE = 5_000

/** Where the original's account and key ids land here (a merged account's or key's other id). */
export interface IdMaps {
  accounts: ReadonlyMap<string, string>
  keys: ReadonlyMap<string, string>
}

export type HistoryTableName = 'usage_history' | 'request_logs'

interface HistoryTable<Row> {
  table: HistoryTableName
  columns: readonly string[]
  /** The row as it will be written, with its ids moved to where they land here. */
  classify(row: SourceRow, ids: IdMaps): RowOutcome<Row>
  write(trx: Transaction<Database>, rows: Row[]): Promise<void>
}

const NOT_IMPORTED = 'row(s) of accounts that are not imported are left out'
const CHUNK = 500

/** Usage samples hang on an account (a foreign key here): those of accounts left out go too. */
const usageTable: HistoryTable<ImportedUsage> = {
  table: 'usage_history',
  columns: USAGE_COLUMNS,
  classify(raw, ids) {
    const out = mapUsage(raw)
    if (out.kind !== 'row') return out
    const account = ids.accounts.get(out.row.account_id)
    if (account === undefined) return { kind: 'left', note: NOT_IMPORTED }
    return { kind: 'row', row: { ...out.row, account_id: account } }
  },
  async write(trx, rows) {
    for (let i = 0; i < rows.length; i += CHUNK) {
      await trx
        .insertInto('usage_history')
        .values(rows.slice(i, i + CHUNK))
        .execute()
    }
  },
}

/** Logs are the audit trail: kept even when their account is not imported (no foreign key here). */
const logTable: HistoryTable<ImportedLog> = {
  table: 'request_logs',
  columns: LOG_COLUMNS,
  classify(raw, ids) {
    const out = mapLog(raw)
    if (out.kind !== 'row') return out
    const { account_id: account, api_key_id: key } = out.row
    return {
      kind: 'row',
      row: {
        ...out.row,
        account_id: account == null ? null : (ids.accounts.get(account) ?? account),
        api_key_id: key == null ? null : (ids.keys.get(key) ?? key),
      },
    }
  },
  write: (trx, rows) => insertRequestLogsIn(trx, rows),
}

export const HISTORY_TABLES = [usageTable, logTable] as const

/** Keyset pages of `table` after `afterId`; absent columns are left out of the select. */
async function* pages(
  source: SourceDatabase,
  spec: HistoryTable<unknown>,
  afterId: number,
  pageSize: number,
): AsyncGenerator<SourceRow[]> {
  const present = await source.columns(spec.table)
  const columns = spec.columns.filter((c) => present.has(c))
  let after = afterId
  for (;;) {
    const rows = await source.page(spec.table, columns, after, pageSize)
    if (rows.length === 0) return
    yield rows
    after = Number(rows[rows.length - 1]!.id)
    if (rows.length < pageSize) return
  }
}

async function hasTable(source: SourceDatabase, table: string): Promise<boolean> {
  return (await source.tables()).has(table)
}

/** The real run's plan: row counts only; rows are checked as they are written. */
export async function countHistory(source: SourceDatabase): Promise<StreamSummary[]> {
  const out: StreamSummary[] = []
  for (const spec of HISTORY_TABLES) {
    const read = (await hasTable(source, spec.table)) ? await source.count(spec.table) : 0
    out.push(emptySummary(spec.table, read, false))
  }
  return out
}

/** The dry run's plan: every row mapped, page by page, and counted (none kept). */
export async function scanHistory(
  source: SourceDatabase,
  ids: IdMaps,
  pageSize: number,
): Promise<StreamSummary[]> {
  const out: StreamSummary[] = []
  for (const spec of HISTORY_TABLES as ReadonlyArray<HistoryTable<unknown>>) {
    if (!(await hasTable(source, spec.table))) {
      out.push(emptySummary(spec.table, 0, true))
      continue
    }
    const summary = emptySummary(spec.table, await source.count(spec.table), true)
    for await (const rows of pages(source, spec, 0, pageSize)) {
      for (const row of rows) {
        const o = spec.classify(row, ids)
        if (o.kind === 'row') summary.importable += 1
        else if (o.kind === 'bad') noteBad(summary, { id: text(row.id) ?? '?', reason: o.reason })
        else noteLeft(summary, o.note)
      }
    }
    out.push(summary)
  }
  return out
}

/** A bad row met while writing without --skip-bad-rows: the transaction rolls back. */
export class BadHistoryRow extends Error {
  constructor(
    readonly table: string,
    readonly id: string,
    readonly reason: string,
  ) {
    super(`${table} row ${id}: ${reason}`)
    this.name = 'BadHistoryRow'
  }
}

export interface StreamWrite {
  written: number
  /** Rows at or below the watermark of a previous run. */
  alreadyThere: number
  summary: StreamSummary
}

/**
 * Writes the rows above `afterId`, page by page, and returns the highest original id seen (the
 * next watermark). A bad row throws BadHistoryRow unless `skipBadRows`.
 */
export async function streamInto(
  trx: Transaction<Database>,
  source: SourceDatabase,
  spec: HistoryTable<unknown>,
  options: { afterId: number; ids: IdMaps; pageSize: number; skipBadRows: boolean },
): Promise<StreamWrite & { top: number }> {
  const summary = emptySummary(spec.table, 0, true)
  if (!(await hasTable(source, spec.table))) return { written: 0, alreadyThere: 0, summary, top: 0 }
  summary.read = await source.count(spec.table)
  const alreadyThere = summary.read - (await source.count(spec.table, options.afterId))
  let written = 0
  let top = options.afterId
  for await (const rows of pages(source, spec, options.afterId, options.pageSize)) {
    const fresh: unknown[] = []
    for (const row of rows) {
      const o = spec.classify(row, options.ids)
      const id = text(row.id) ?? '?'
      if (o.kind === 'row') fresh.push(o.row)
      else if (o.kind === 'left') noteLeft(summary, o.note)
      else if (!options.skipBadRows) throw new BadHistoryRow(spec.table, id, o.reason)
      else noteBad(summary, { id, reason: o.reason })
    }
    await spec.write(trx, fresh)
    written += fresh.length
    top = Math.max(top, Number(rows[rows.length - 1]!.id))
  }
  summary.importable = written
  return { written, alreadyThere, summary, top }
}
