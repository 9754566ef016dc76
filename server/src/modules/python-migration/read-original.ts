import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { PythonMigrationError } from './errors.js'
import { fernetDecrypt, parseFernetKey, type FernetKey } from './fernet.js'
import type { MigrationPlan } from './importer.js'
import { planAccounts } from './map-accounts.js'
import { planApiKeys } from './map-api-keys.js'
import { countHistory } from './history-stream.js'
import { planPins } from './map-history.js'
import { planSettings } from './map-settings.js'
import type { MapContext, TablePlan } from './plan.js'
import { openPostgresSource } from './postgres-source.js'
import { detectSchemaVersion, type SchemaVersion } from './schema-version.js'
import type { SourceDatabase } from './source.js'
import { openSqliteSource } from './sqlite-source.js'

export type SourceSpec = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string }

export interface ReadOptions {
  source: SourceSpec
  keyFile: string
  now: number
  stickySessionTtlMs: number
}

export interface OriginalData {
  where: string
  version: SchemaVersion
  plan: MigrationPlan
  /** Still open (read-only): the history is streamed from it; the caller closes it. */
  source: SourceDatabase
  /**
   * Tells installations apart (a digest of their key, never the key): two originals imported into
   * one codex-lb each keep their own history watermarks, though both number their rows from 1.
   */
  installId: string
}

function readKeyFile(path: string): { key: FernetKey; raw: Buffer } {
  let raw: Buffer
  try {
    raw = readFileSync(path)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new PythonMigrationError(
      code === 'ENOENT'
        ? `No key file at ${path}: the Python codex-lb's encryption.key is needed to read its ` +
            'tokens (pass it with --key-file). Nothing was read or written.'
        : `Cannot read the key file ${path} (${code ?? 'error'}). Nothing was read or written.`,
    )
  }
  return { key: parseFernetKey(raw.toString('utf8'), path), raw }
}

/** The fingerprint the newest original keeps of its key (`sha256:<hex of the file's bytes>`). */
async function checkFingerprint(source: SourceDatabase, raw: Buffer, path: string): Promise<void> {
  if (!(await source.tables()).has('runtime_sentinels')) return
  const columns = [...(await source.columns('runtime_sentinels'))]
  const rows = await source.rows('runtime_sentinels', columns)
  const row = rows.find((r) => Object.values(r).includes('encryption_key_fingerprint'))
  const stored =
    row && Object.values(row).find((v) => typeof v === 'string' && v.startsWith('sha256:'))
  if (typeof stored !== 'string') return
  const mine = `sha256:${createHash('sha256').update(raw).digest('hex')}`
  if (stored.toLowerCase() !== mine) {
    throw new PythonMigrationError(
      `The key file ${path} is not the key of ${source.where} (its recorded key fingerprint ` +
        'differs). Pass the encryption.key that the Python codex-lb used. Nothing was written.',
    )
  }
}

/** Pins hang on an account (a foreign key here): those of accounts left out go too. */
function keepWithImportedAccounts(plan: MigrationPlan): void {
  const accounts = new Set(plan.accounts.rows.map((a) => a.id))
  plan.pins = keepWith(plan.pins, accounts)
}

function keepWith<Row extends { account_id: string }>(
  table: TablePlan<Row>,
  accounts: Set<string>,
): TablePlan<Row> {
  const kept = table.rows.filter((r) => accounts.has(r.account_id))
  const left = table.rows.length - kept.length
  if (left === 0) return table
  return {
    ...table,
    rows: kept,
    notes: [...table.notes, `${left} row(s) of accounts that are not imported are left out`],
  }
}

function openSource(spec: SourceSpec): Promise<SourceDatabase> {
  return spec.kind === 'sqlite'
    ? Promise.resolve(openSqliteSource(spec.path))
    : openPostgresSource(spec.url)
}

/**
 * Opens the original read-only, recognises its schema version, checks the key, decrypts the secrets
 * and maps the small tables; the big ones are only counted here. Writes nothing anywhere. On success
 * the source stays open for the history's pages: the caller closes it.
 */
export async function readOriginal(options: ReadOptions): Promise<OriginalData> {
  const { key, raw } = readKeyFile(options.keyFile)
  const source = await openSource(options.source)
  try {
    const version = await detectSchemaVersion(source)
    await checkFingerprint(source, raw, options.keyFile)
    let tried = 0
    let failed = 0
    const ctx: MapContext = {
      decrypt: (stored) => {
        tried += 1
        try {
          return fernetDecrypt(key, stored as Buffer | string)
        } catch (err) {
          failed += 1
          throw err
        }
      },
      now: options.now,
      stickySessionTtlMs: options.stickySessionTtlMs,
    }
    const keys = await planApiKeys(source, ctx)
    const plan: MigrationPlan = {
      accounts: await planAccounts(source, ctx),
      apiKeys: keys.keys,
      limits: keys.limits,
      settings: await planSettings(source, ctx),
      pins: await planPins(source, ctx),
      history: await countHistory(source),
    }
    keepWithImportedAccounts(plan)
    if (tried > 0 && failed === tried) {
      throw new PythonMigrationError(
        `The key file ${options.keyFile} does not decrypt anything in ${source.where} ` +
          `(none of its ${tried} encrypted values verify): it is not the key the Python ` +
          'codex-lb used. Nothing was written.',
      )
    }
    const installId = createHash('sha256').update('install:').update(raw).digest('hex').slice(0, 16)
    return { where: source.where, version, plan, source, installId }
  } catch (err) {
    await source.close()
    throw err
  }
}
