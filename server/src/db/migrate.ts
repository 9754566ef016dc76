import { readdir, rm, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely'
import * as initial from './migrations/2026-11-24-01-initial.js'
import * as requestLogTransport from './migrations/2026-12-05-01-request-log-transport.js'
import * as concurrency from './migrations/2026-12-05-12-concurrency.js'
import * as headroom from './migrations/2026-12-05-13-headroom.js'
import * as overflow from './migrations/2026-12-05-14-overflow.js'
import * as routingStrategy from './migrations/2026-12-05-11-routing-strategy.js'
import * as keyPolicy from './migrations/2026-12-05-15-key-policy.js'
import * as requestLogClient from './migrations/2026-12-05-21-request-log-client.js'
import * as accountAlias from './migrations/2026-12-05-22-account-alias.js'
import * as requestLogErrorBody from './migrations/2026-12-05-31-request-log-error-body.js'
import * as auditLog from './migrations/2026-12-05-41-audit-log.js'
import * as requestLogRollups from './migrations/2026-12-05-51-request-log-rollups.js'
import * as requestLogIndexes from './migrations/2026-12-05-52-request-log-indexes.js'
import * as requestLogDailyRollups from './migrations/2026-12-05-53-request-log-daily-rollups.js'
import * as accountEgressProxy from './migrations/2026-12-05-61-account-egress-proxy.js'
import * as streamLeases from './migrations/2026-12-05-71-stream-leases.js'
import * as pythonImport from './migrations/2026-12-05-91-python-import.js'
import * as sessionRevocations from './migrations/2026-12-05-101-dashboard-session-revocations.js'
import { dialectOf } from './dialect.js'
import type { Database } from './schema.js'
import { withSchemaIntrospection } from './schema-introspection.js'

/** Migrations in code, in order. Names are date-prefixed and never change once released. */
const MIGRATIONS: Record<string, Migration> = {
  '2026-11-24-01-initial': initial,
  '2026-12-05-01-request-log-transport': requestLogTransport,
  '2026-12-05-12-concurrency': concurrency,
  '2026-12-05-13-headroom': headroom,
  '2026-12-05-14-overflow': overflow,
  '2026-12-05-15-key-policy': keyPolicy,
  '2026-12-05-11-routing-strategy': routingStrategy,
  '2026-12-05-21-request-log-client': requestLogClient,
  '2026-12-05-22-account-alias': accountAlias,
  '2026-12-05-31-request-log-error-body': requestLogErrorBody,
  '2026-12-05-41-audit-log': auditLog,
  '2026-12-05-51-request-log-rollups': requestLogRollups,
  '2026-12-05-52-request-log-indexes': requestLogIndexes,
  '2026-12-05-53-request-log-daily-rollups': requestLogDailyRollups,
  '2026-12-05-61-account-egress-proxy': accountEgressProxy,
  '2026-12-05-71-stream-leases': streamLeases,
  '2026-12-05-91-python-import': pythonImport,
  '2026-12-05-101-dashboard-session-revocations': sessionRevocations,
}

/** The migrations this build expects, by name (readiness checks that each one is applied). */
export const MIGRATION_NAMES: readonly string[] = Object.keys(MIGRATIONS)

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(MIGRATIONS) }

export class MigrationError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause })
    this.name = 'MigrationError'
  }
}

export interface MigrateOptions {
  sqlitePath?: string | undefined
  backupMaxFiles?: number
  now?: () => Date
}

export interface MigrateResult {
  applied: string[]
  backupPath: string | undefined
}

/**
 * Brings the schema up to date; recorded in `kysely_migration`, so running it twice is a no-op.
 * Before changing an existing SQLite file it writes a timestamped copy next to it.
 */
export async function migrateToLatest(
  db: Kysely<Database>,
  options: MigrateOptions = {},
): Promise<MigrateResult> {
  const schema = await migrationSchema(db)
  // Migrations are numbered per feature, not by landing order: one that lands after a higher-numbered
  // one (53 after 61) must still run on a database that already has 61, instead of failing.
  const migrator = new Migrator({
    db: schema.migrationTableSchema ? withSchemaIntrospection(db, schema.migrationTableSchema) : db,
    provider,
    allowUnorderedMigrations: true,
    ...schema,
  })
  const pending = (await migrator.getMigrations()).filter((m) => m.executedAt === undefined)
  if (pending.length === 0) return { applied: [], backupPath: undefined }

  let backupPath: string | undefined
  if (options.sqlitePath && (await hasUserTables(db))) {
    backupPath = await backupSqlite(db, options.sqlitePath, options.now?.() ?? new Date())
    await pruneBackups(options.sqlitePath, options.backupMaxFiles ?? 5)
  }
  const { error, results } = await migrator.migrateToLatest()
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown'
    throw new MigrationError(
      `Database migration ${failed} failed: ${(error as Error).message ?? String(error)}` +
        (backupPath ? ` (a copy of the database from before the attempt is at ${backupPath})` : ''),
      error,
    )
  }
  return {
    applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName),
    backupPath,
  }
}

/**
 * On PostgreSQL, pins Kysely's bookkeeping tables to the current schema: without it the Migrator looks
 * for `kysely_migration` in every schema and, when another schema has one, reads a table that is not
 * on the search path and fails. The Migrator then looks tables up in that schema alone
 * (schema-introspection.ts).
 */
async function migrationSchema(db: Kysely<Database>): Promise<{ migrationTableSchema?: string }> {
  if (dialectOf(db) !== 'postgres') return {}
  const rows = await sql<{ schema: string }>`select current_schema() as schema`.execute(db)
  const schema = rows.rows[0]?.schema
  return schema ? { migrationTableSchema: schema } : {}
}

async function hasUserTables(db: Kysely<Database>): Promise<boolean> {
  const rows = await sql<{ n: number }>`select count(*) as n from sqlite_master
    where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'`.execute(db)
  return Number(rows.rows[0]?.n ?? 0) > 0
}

async function backupSqlite(db: Kysely<Database>, path: string, now: Date): Promise<string> {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, 'Z')
  const target = `${path}.${stamp}.bak`
  // VACUUM INTO writes a consistent copy that includes whatever still sits in the WAL.
  await sql`vacuum into ${target}`.execute(db)
  return target
}

async function pruneBackups(path: string, keep: number): Promise<void> {
  const dir = dirname(path)
  const prefix = `${basename(path)}.`
  const names = (await readdir(dir)).filter((n) => n.startsWith(prefix) && n.endsWith('.bak'))
  const withTimes = await Promise.all(
    names.map(async (n) => ({ n, t: (await stat(join(dir, n))).mtimeMs })),
  )
  withTimes.sort((a, b) => b.t - a.t || b.n.localeCompare(a.n))
  for (const { n } of withTimes.slice(keep)) await rm(join(dir, n), { force: true })
}
