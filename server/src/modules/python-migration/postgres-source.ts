import pg from 'pg'
import { redactUrl } from '../../db/index.js'
import { PythonMigrationError } from './errors.js'
import { quoteIdent, type SourceDatabase, type SourceRow } from './source.js'

const TIMESTAMP_OID = 1114
const INT8_OID = 20

/** `postgresql+asyncpg://…` (the original's URL form) to what node-postgres takes. */
export function plainPostgresUrl(url: string): string {
  return url.replace(/^postgres(?:ql)?\+[a-z0-9_]+:\/\//i, 'postgresql://')
}

/**
 * Opens the original's PostgreSQL database in one read-only, repeatable-read transaction: every
 * table is read as of the same moment and nothing can be written. `timestamp without time zone`
 * values come back as their text (naive UTC), not as a Date in this machine's zone.
 */
export async function openPostgresSource(rawUrl: string): Promise<SourceDatabase> {
  const url = plainPostgresUrl(rawUrl)
  const where = `the PostgreSQL database ${redactUrl(url)}`
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') =>
      oid === TIMESTAMP_OID
        ? (v: string) => v
        : oid === INT8_OID
          ? (v: string) => Number(v)
          : pg.types.getTypeParser(oid, format),
  }
  const client = new pg.Client({ connectionString: url, types })
  client.on('error', () => undefined)
  try {
    await client.connect()
    await client.query('begin transaction isolation level repeatable read read only')
  } catch (err) {
    await client.end().catch(() => undefined)
    throw new PythonMigrationError(`Cannot read ${where}: ${(err as Error).message}`, {
      cause: err,
    })
  }
  const names = async (text: string, params: unknown[] = []) =>
    new Set((await client.query<{ name: string }>(text, params)).rows.map((r) => r.name))
  return {
    where,
    dialect: 'postgres',
    tables: () =>
      names(`select table_name as name from information_schema.tables
        where table_schema = current_schema() and table_type = 'BASE TABLE'`),
    columns: (table) =>
      names(
        `select column_name as name from information_schema.columns
          where table_schema = current_schema() and table_name = $1`,
        [table],
      ),
    rows: async (table, columns, orderBy) => {
      if (columns.length === 0) return []
      const order = orderBy ? ` order by ${quoteIdent(orderBy)}` : ''
      // Native enum labels (account_status, limit_type, …) come back as their text.
      const list = columns.map(quoteIdent).join(', ')
      const result = await client.query<SourceRow>(
        `select ${list} from ${quoteIdent(table)}${order}`,
      )
      return result.rows
    },
    page: async (table, columns, afterId, limit) => {
      if (columns.length === 0) return []
      const list = columns.map(quoteIdent).join(', ')
      const result = await client.query<SourceRow>(
        `select ${list} from ${quoteIdent(table)} where "id" > $1 order by "id" limit $2`,
        [afterId, limit],
      )
      return result.rows
    },
    count: async (table, afterId) => {
      const where = afterId === undefined ? '' : ' where "id" > $1'
      const result = await client.query<{ n: number }>(
        `select count(*) as n from ${quoteIdent(table)}${where}`,
        afterId === undefined ? [] : [afterId],
      )
      return Number(result.rows[0]?.n ?? 0)
    },
    close: async () => {
      await client.query('rollback').catch(() => undefined)
      await client.end().catch(() => undefined)
    },
  }
}
