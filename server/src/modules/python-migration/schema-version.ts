import { PythonMigrationError } from './errors.js'
import type { SourceDatabase } from './source.js'

/** The newest revision this importer was written against (the original's head on 2026-08-21). */
export const NEWEST_KNOWN_REVISION = '20260816_000000_add_model_source_embeddings'
const NEWEST_STAMP = NEWEST_KNOWN_REVISION.slice(0, 15)

/** Seed-era revision ids (`000_base_schema` … `014_…`), later renamed to dated ones. */
const OLD_STYLE = /^0\d\d_[a-z0-9_]+$/
const DATED = /^(\d{8}_\d{6})_[a-z0-9_]+$/

export interface SchemaVersion {
  /** The revision(s) recorded (several while a history had several heads). */
  revisions: string[]
  /** `seed` up to the first dated revision; `dated` after. */
  era: 'seed' | 'dated'
}

/**
 * Reads the original's migration table (`alembic_version`, or `schema_migrations` before Alembic)
 * and refuses what this importer does not know: a newer revision, or a database that is not the
 * Python codex-lb's at all.
 */
export async function detectSchemaVersion(source: SourceDatabase): Promise<SchemaVersion> {
  const tables = await source.tables()
  if (tables.has('kysely_migration')) {
    throw new PythonMigrationError(
      `${source.where} is a database of this codex-lb (TypeScript), not of the Python one: ` +
        'there is nothing to migrate from it.',
    )
  }
  let revisions: string[] = []
  if (tables.has('alembic_version')) {
    revisions = (await source.rows('alembic_version', ['version_num']))
      .map((r) => String(r.version_num ?? '').trim())
      .filter((v) => v !== '')
  } else if (tables.has('schema_migrations')) {
    const names = await source.rows('schema_migrations', ['name'])
    revisions = names.length > 0 ? ['010_pre_alembic'] : []
  }
  if (revisions.length === 0 || !tables.has('accounts')) {
    throw new PythonMigrationError(
      `${source.where} is not a database of the Python codex-lb: it has no ` +
        (revisions.length === 0
          ? 'alembic_version (or schema_migrations) record'
          : 'accounts table') +
        '. Nothing was read or written.',
    )
  }
  for (const revision of revisions) {
    const dated = DATED.exec(revision)
    if (dated && dated[1]! > NEWEST_STAMP) {
      throw new PythonMigrationError(
        `${source.where} is at revision ${revision}, newer than the newest this command knows ` +
          `(${NEWEST_KNOWN_REVISION}). Its data might not be carried over correctly, so nothing ` +
          'was imported: update codex-lb and run the migration again.',
      )
    }
    if (!dated && !OLD_STYLE.test(revision)) {
      throw new PythonMigrationError(
        `${source.where} records an unknown schema revision (${revision}); nothing was imported.`,
      )
    }
  }
  return {
    revisions,
    era: revisions.every((r) => OLD_STYLE.test(r)) ? 'seed' : 'dated',
  }
}
