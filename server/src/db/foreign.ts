import { existsSync, rmSync, statSync } from 'node:fs'
import SQLite from 'better-sqlite3'
import { sql, type Kysely } from 'kysely'
import { DatabaseOpenError } from './open.js'
import type { Database } from './schema.js'

/**
 * A database with tables but no record of our migrations belongs to something else, most likely
 * the Python codex-lb, which uses the same default path (~/.codex-lb/store.db) and keeps its
 * version in `alembic_version`. Migrating it would create tables over its own of the same names.
 */
export class ForeignDatabaseError extends Error {
  constructor(where: string, tables: string[]) {
    const original = tables.includes('alembic_version')
      ? ' It looks like the database of the Python codex-lb (it has an alembic_version table).'
      : ''
    const shown = tables.slice(0, 5).join(', ') + (tables.length > 5 ? ', …' : '')
    super(
      `${where} was not created by this codex-lb: it holds tables (${shown}) but no record of ` +
        `codex-lb's migrations.${original} Nothing in it was changed. Either:\n` +
        `  - point CODEX_LB_DATA_DIR (or CODEX_LB_DATABASE_URL) at another location to start ` +
        `with an empty database, or\n` +
        `  - move its data into a new location with: codex-lb migrate-from-python ` +
        `(see "Moving from codex-lb (Python)" in the README).`,
    )
    this.name = 'ForeignDatabaseError'
  }
}

/** Our migrations' bookkeeping table: present in every database this product created. */
const OURS = 'kysely_migration'

function judge(where: string, tables: string[]): void {
  const user = tables.filter((t) => !t.startsWith('sqlite_'))
  if (user.length === 0) return
  if (user.includes(OURS) && !user.includes('alembic_version')) return
  throw new ForeignDatabaseError(where, user.sort())
}

/**
 * Checks a SQLite file before anything opens it for writing (which would switch it to WAL mode).
 * Reading a WAL-mode file creates `-wal`/`-shm` next to it even read-only; the ones this check
 * created are removed again, so a foreign database is left exactly as found.
 */
export function assertOwnSqliteFile(path: string): void {
  if (path === ':memory:' || !existsSync(path) || statSync(path).size === 0) return
  const sideFiles = [`${path}-wal`, `${path}-shm`].filter((f) => !existsSync(f))
  let tables: string[]
  try {
    const db = new SQLite(path, { readonly: true, fileMustExist: true })
    try {
      tables = db
        .prepare<[], { name: string }>(`select name from sqlite_master where type = 'table'`)
        .all()
        .map((r) => r.name)
    } finally {
      db.close()
      for (const f of sideFiles) rmSync(f, { force: true })
    }
  } catch (err) {
    throw new DatabaseOpenError(
      `Cannot read SQLite database at ${path}: ${(err as Error).message}`,
      err,
    )
  }
  judge(`The SQLite database at ${path}`, tables)
}

/** The same check for PostgreSQL, in the schema codex-lb would migrate (the current one). */
export async function assertOwnPostgresSchema(db: Kysely<Database>, where: string): Promise<void> {
  const rows = await sql<{ name: string }>`select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db)
  judge(
    where,
    rows.rows.map((r) => r.name),
  )
}
