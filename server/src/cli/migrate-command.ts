import { existsSync, realpathSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { prepare } from '../bootstrap.js'
import type { Config } from '../config/index.js'
import { redactUrl } from '../db/index.js'
import {
  BadHistoryRow,
  DEFAULT_PAGE_SIZE,
  PythonMigrationError,
  accountIdMap,
  badRowCount,
  existingAccounts,
  mergeLines,
  readTargetAccounts,
  resolveAccounts,
  scanHistory,
  formatBadRows,
  formatPlan,
  formatWritten,
  plainPostgresUrl,
  readOriginal,
  writePlan,
  type ExistingAccount,
  type OriginalData,
  type SourceSpec,
} from '../modules/python-migration/index.js'
import { CliError, type CliIo } from './io.js'

export interface MigrateFlags {
  dryRun: boolean
  skipBadRows: boolean
  options: Map<string, string>
}

function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path
}

function realOrResolved(path: string): string {
  return existsSync(path) ? realpathSync(path) : resolve(path)
}

/** Where a PostgreSQL URL points: host, port, database and schema (search_path), without credentials. */
function postgresIdentity(url: string): string {
  const u = new URL(plainPostgresUrl(url))
  const schema = /search_path=([^\s&]+)/.exec(u.searchParams.get('options') ?? '')?.[1] ?? 'public'
  return `${u.hostname}:${u.port || '5432'}${u.pathname}#${schema}`
}

function sourceOf(io: CliIo, flags: MigrateFlags): { spec: SourceSpec; keyFile: string } {
  const url = flags.options.get('--database-url')
  const keyOption = flags.options.get('--key-file')
  if (url !== undefined) {
    if (flags.options.has('--from'))
      throw new CliError('--from and --database-url cannot be combined', 2)
    if (keyOption === undefined) {
      throw new CliError('--database-url needs --key-file: the old encryption.key', 2)
    }
    return { spec: { kind: 'postgres', url }, keyFile: resolve(io.cwd, expandHome(keyOption)) }
  }
  const dir = resolve(io.cwd, expandHome(flags.options.get('--from') ?? '~/.codex-lb'))
  const keyFile = keyOption ? resolve(io.cwd, expandHome(keyOption)) : join(dir, 'encryption.key')
  return { spec: { kind: 'sqlite', path: join(dir, 'store.db') }, keyFile }
}

/** Both products default to ~/.codex-lb/store.db: importing a database into itself is refused. */
function refuseSameDatabase(spec: SourceSpec, target: Config['database']): void {
  const same =
    spec.kind === 'sqlite'
      ? target.kind === 'sqlite' && realOrResolved(spec.path) === realOrResolved(target.path)
      : target.kind === 'postgres' && postgresIdentity(spec.url) === postgresIdentity(target.url)
  if (!same) return
  const where = spec.kind === 'sqlite' ? spec.path : redactUrl(spec.url)
  throw new CliError(
    `The source and the target are the same database (${where}): this codex-lb is configured to ` +
      "use the Python codex-lb's database. Point it at a new place first (e.g. " +
      'CODEX_LB_DATA_DIR=~/.codex-lb-ts, or another CODEX_LB_DATABASE_URL) and run the command ' +
      'again. Nothing was changed.',
  )
}

const MAX_PAGE_SIZE = 100_000

function pageSizeOf(flags: MigrateFlags): number {
  const raw = flags.options.get('--page-size')
  if (raw === undefined) return DEFAULT_PAGE_SIZE
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) {
    throw new CliError(`--page-size takes a whole number from 1 to ${MAX_PAGE_SIZE}`, 2)
  }
  return n
}

/** Lists the original accounts that join an account this codex-lb already has under another id. */
function noteMerges(original: OriginalData, existing: ExistingAccount[]) {
  const fates = resolveAccounts(existing, original.plan.accounts.rows)
  original.plan.accounts.merged = mergeLines(original.plan.accounts.rows, fates)
  return fates
}

/** Maps every history row page by page (none kept), so the plan lists bad rows too. */
async function dryRun(config: Config, io: CliIo, original: OriginalData, pageSize: number) {
  const fates = noteMerges(original, await readTargetAccounts(config.database))
  const ids = { accounts: accountIdMap(fates), keys: new Map<string, string>() }
  original.plan.history = await scanHistory(original.source, ids, pageSize)
  io.stdout(formatPlan(original.plan))
  const bad = badRowCount(original.plan)
  if (bad > 0) {
    io.stdout(`${bad} row(s) cannot be carried over: a real run stops unless --skip-bad-rows.\n`)
  }
  io.stdout('Dry run: nothing was written.\n')
}

async function importInto(
  config: Config,
  io: CliIo,
  original: OriginalData,
  options: { pageSize: number; skipBadRows: boolean },
) {
  const { database, cipher } = await prepare(config, (m) => io.stderr(`${m}\n`))
  try {
    noteMerges(original, await existingAccounts(database.db))
    io.stdout(formatPlan(original.plan))
    const counts = await writePlan(database.db, original.source, original.plan, cipher, {
      now: Date.now(),
      installId: original.installId,
      ...options,
    })
    io.stdout(`Imported into this codex-lb (one transaction):\n${formatWritten(counts)}`)
  } catch (err) {
    if (!(err instanceof BadHistoryRow)) throw err
    throw new CliError(
      `${err.message}: this row cannot be carried over. Nothing was written (the import is one ` +
        'transaction and was rolled back). Pass --skip-bad-rows to import everything else ' +
        'without such rows (--dry-run lists them all).',
    )
  } finally {
    await database.close()
  }
}

export async function migrateFromPython(
  config: Config,
  io: CliIo,
  flags: MigrateFlags,
): Promise<void> {
  const { spec, keyFile } = sourceOf(io, flags)
  const pageSize = pageSizeOf(flags)
  refuseSameDatabase(spec, config.database)
  try {
    const original = await readOriginal({
      source: spec,
      keyFile,
      now: Date.now(),
      stickySessionTtlMs: config.stickySessionTtlMs,
    })
    try {
      io.stdout(
        `Python codex-lb at ${original.where} (schema ${original.version.revisions.join(', ')})\n`,
      )
      if (flags.dryRun) return await dryRun(config, io, original, pageSize)
      const bad = badRowCount(original.plan)
      if (bad > 0 && !flags.skipBadRows) {
        throw new CliError(
          `${bad} row(s) cannot be carried over:\n${formatBadRows(original.plan)}\n` +
            'Nothing was written. Pass --skip-bad-rows to import everything else without them ' +
            '(--dry-run shows the whole plan).',
        )
      }
      await importInto(config, io, original, { pageSize, skipBadRows: flags.skipBadRows })
    } finally {
      await original.source.close()
    }
  } catch (err) {
    if (err instanceof PythonMigrationError) throw new CliError(err.message)
    throw err
  }
}
