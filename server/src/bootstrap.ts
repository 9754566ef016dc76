import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildApp } from './app.js'
import { exposureWarnings } from './lib/exposure.js'
import { ConfigError, loadConfig, readEnvFile, type Config } from './config/index.js'
import { KeyFileError, TokenCipher, loadOrCreateKey } from './crypto/index.js'
import {
  DatabaseOpenError,
  ForeignDatabaseError,
  MigrationError,
  assertOwnPostgresSchema,
  assertOwnSqliteFile,
  migrateToLatest,
  openDatabase,
  redactUrl,
  type DatabaseHandle,
} from './db/index.js'
import { databaseHasSecrets } from './db/secrets-present.js'
import { exitOnSignals, startupLine } from './lifecycle.js'

/*
 * What both entry points (main.ts and the CLI) do before any work: read the environment into a
 * Config, open and migrate the database, load the encryption key, and (for `serve`) listen.
 */

const WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url))

/** Startup failures we can explain: printed as one message, no stack, exit 1. */
const EXPECTED_ERRORS = [
  ConfigError,
  DatabaseOpenError,
  ForeignDatabaseError,
  MigrationError,
  KeyFileError,
]

export function isExpectedStartupError(err: unknown): err is Error {
  return EXPECTED_ERRORS.some((E) => err instanceof E)
}

/**
 * `.env.local` in `cwd` under the real environment (the environment wins), and the built dashboard
 * as static dir when none is configured and it exists.
 */
export function loadRuntimeConfig(env: Record<string, string | undefined>, cwd: string): Config {
  const merged = { ...readEnvFile(join(cwd, '.env.local')), ...env }
  const base = loadConfig(merged)
  return base.staticDir === undefined && existsSync(join(WEB_DIST, 'index.html'))
    ? loadConfig({ ...merged, CODEX_LB_STATIC_DIR: WEB_DIST })
    : base
}

export interface Prepared {
  database: DatabaseHandle
  cipher: TokenCipher
}

/**
 * Opens and migrates the database and loads (or creates) the key; closes the db on failure. A
 * database some other program made (the Python codex-lb's, at the same default path) stops the
 * start before anything in it changes.
 */
export async function prepare(
  config: Config,
  notify: (message: string) => void = (m) => console.error(m),
): Promise<Prepared> {
  if (config.database.kind === 'sqlite') assertOwnSqliteFile(config.database.path)
  const database = await openDatabase(config.database)
  try {
    if (config.database.kind === 'postgres') {
      const where = `The PostgreSQL database ${redactUrl(config.database.url)}`
      await assertOwnPostgresSchema(database.db, where)
    }
    // The key is checked before migrating, so a missing key stops the start with nothing changed.
    // On a fresh database the tables do not exist yet: then there is nothing to protect.
    const hasSecrets = await databaseHasSecrets(database.db).catch(() => false)
    const key = loadOrCreateKey(config.encryptionKeyFile, hasSecrets)
    const migration = await migrateToLatest(database.db, {
      sqlitePath: database.sqlitePath,
      backupMaxFiles: config.sqliteBackupMaxFiles,
    })
    if (migration.backupPath) notify(`codex-lb: database backed up to ${migration.backupPath}`)
    return { database, cipher: new TokenCipher(key) }
  } catch (err) {
    await database.close().catch(() => undefined)
    throw err
  }
}

/** Runs the server until SIGINT/SIGTERM (see exitOnSignals); resolves once it listens. */
export async function serve(config: Config): Promise<void> {
  const { database, cipher } = await prepare(config)
  const app = await buildApp({ config, database, cipher })
  const accounts = (await app.services.accounts.listAll()).length
  app.services.start()
  // Fastify logs one line per address: the first becomes ours, the rest (0.0.0.0) stay short.
  let first = true
  await app.listen({
    host: config.host,
    port: config.port,
    listenTextResolver: (address) => {
      if (!first) return `also listening on ${address}`
      first = false
      return startupLine(address, config, accounts)
    },
  })
  // Loud and at start: a server on a public address with nothing protecting it.
  for (const line of exposureWarnings(config.host, await app.services.settings.get())) {
    app.log.warn(line)
  }
  exitOnSignals({
    app,
    database,
    drainMs: config.shutdownDrainMs,
    delayMs: config.shutdownDelayMs,
  })
}
