import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import { PythonMigrationError } from './errors.js'
import { openHolders } from './open-holders.js'
import { quoteIdent, type SourceDatabase, type SourceRow } from './source.js'

const SIDECARS = ['-wal', '-shm'] as const

function fingerprint(path: string): string {
  return ['', ...SIDECARS]
    .map((s) =>
      existsSync(path + s) ? `${statSync(path + s).size}:${statSync(path + s).mtimeMs}` : '-',
    )
    .join('|')
}

/**
 * Opens the original's SQLite file without touching it. SQLite creates `-wal`/`-shm` beside a WAL
 * database even for a read-only open, and rows of the last commits may still live only in the
 * `-wal`; so the file and its WAL are copied together into a private temp dir and the copy is read.
 * A file still open in another process (the old server) is refused, as is one that changed while
 * it was copied.
 */
export function openSqliteSource(path: string): SourceDatabase {
  if (!existsSync(path)) {
    throw new PythonMigrationError(`No database at ${path}: pass the old data dir with --from`)
  }
  const holders = openHolders(path)
  if (holders.length > 0) {
    throw new PythonMigrationError(
      `${path} is in use by ${holders.join(', ')}: the Python codex-lb still seems to be running. ` +
        'Stop it first, then run the migration again (nothing was changed).',
    )
  }
  const before = fingerprint(path)
  const dir = mkdtempSync(join(tmpdir(), 'codex-lb-python-import-'))
  const copy = join(dir, 'store.db')
  let db: SQLite.Database
  try {
    copyFileSync(path, copy)
    if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`)
    if (fingerprint(path) !== before) {
      throw new PythonMigrationError(
        `${path} changed while it was being read: the Python codex-lb still seems to be running. ` +
          'Stop it first, then run the migration again (nothing was changed).',
      )
    }
    // The copy is ours: opening it read-write lets SQLite replay the copied WAL into its index.
    db = new SQLite(copy, { fileMustExist: true })
    db.pragma('query_only = ON')
    db.prepare('select count(*) from sqlite_master').get()
  } catch (err) {
    rmSync(dir, { recursive: true, force: true })
    if (err instanceof PythonMigrationError) throw err
    throw new PythonMigrationError(
      `Cannot read the SQLite database at ${path}: ${(err as Error).message}`,
      { cause: err },
    )
  }
  return sqliteSource(path, db, () => rmSync(dir, { recursive: true, force: true }))
}

function sqliteSource(where: string, db: SQLite.Database, cleanup: () => void): SourceDatabase {
  return {
    where,
    dialect: 'sqlite',
    tables: () =>
      Promise.resolve(
        new Set(
          db
            .prepare<[], { name: string }>(`select name from sqlite_master where type = 'table'`)
            .all()
            .map((r) => r.name),
        ),
      ),
    columns: (table) =>
      Promise.resolve(
        new Set(
          db
            .prepare<[string], { name: string }>('select name from pragma_table_info(?)')
            .all(table)
            .map((r) => r.name),
        ),
      ),
    rows: (table, columns, orderBy) => {
      if (columns.length === 0) return Promise.resolve([])
      const order = orderBy ? ` order by ${quoteIdent(orderBy)}` : ''
      const text = `select ${columns.map(quoteIdent).join(', ')} from ${quoteIdent(table)}${order}`
      return Promise.resolve(db.prepare<[], SourceRow>(text).all())
    },
    page: (table, columns, afterId, limit) => {
      if (columns.length === 0) return Promise.resolve([])
      const text =
        `select ${columns.map(quoteIdent).join(', ')} from ${quoteIdent(table)} ` +
        'where "id" > ? order by "id" limit ?'
      return Promise.resolve(db.prepare<[number, number], SourceRow>(text).all(afterId, limit))
    },
    count: (table, afterId) => {
      const where = afterId === undefined ? '' : ' where "id" > ?'
      const row = db
        .prepare<number[], { n: number }>(`select count(*) as n from ${quoteIdent(table)}${where}`)
        .get(...(afterId === undefined ? [] : [afterId]))
      return Promise.resolve(row?.n ?? 0)
    },
    close: () => {
      db.close()
      cleanup()
      return Promise.resolve()
    },
  }
}
