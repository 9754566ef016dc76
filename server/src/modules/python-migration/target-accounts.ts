import { existsSync } from 'node:fs'
import SQLite from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import type { Config } from '../../config/index.js'
import { openDatabase, type Database } from '../../db/index.js'
import { existingAccounts, type ExistingAccount } from './account-merge.js'

/** A target without its tables yet (never started, or not migrated) has no accounts to merge into. */
function noTable(err: unknown): boolean {
  return /no such table|does not exist/i.test((err as Error).message)
}

/**
 * The accounts the target already has, for the dry run's merge lines: read without migrating or
 * creating anything (a SQLite file that does not exist yet has none).
 */
export async function readTargetAccounts(target: Config['database']): Promise<ExistingAccount[]> {
  if (target.kind === 'sqlite') {
    if (target.path === ':memory:' || !existsSync(target.path)) return []
    const sqlite = new SQLite(target.path, { readonly: true, fileMustExist: true })
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) })
    try {
      return await existingAccounts(db)
    } catch (err) {
      if (noTable(err)) return []
      throw err
    } finally {
      await db.destroy()
    }
  }
  const handle = await openDatabase(target)
  try {
    return await existingAccounts(handle.db)
  } catch (err) {
    if (noTable(err)) return []
    throw err
  } finally {
    await handle.close()
  }
}
