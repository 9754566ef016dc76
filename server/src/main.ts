import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { existsSync } from 'node:fs'
import { buildApp } from './app.js'
import { ConfigError, loadConfig, readEnvFile, type Config } from './config/index.js'
import { KeyFileError, TokenCipher, loadOrCreateKey } from './crypto/index.js'
import {
  DatabaseOpenError,
  MigrationError,
  migrateToLatest,
  openDatabase,
  type DatabaseHandle,
} from './db/index.js'
import { databaseHasSecrets } from './db/secrets-present.js'

const WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url))

/** Startup failures we can explain: printed as one message, no stack, exit 1. */
const EXPECTED_ERRORS = [ConfigError, DatabaseOpenError, MigrationError, KeyFileError]

async function prepare(config: Config): Promise<{ database: DatabaseHandle; cipher: TokenCipher }> {
  const database = await openDatabase(config.database)
  try {
    const migration = await migrateToLatest(database.db, {
      sqlitePath: database.sqlitePath,
      backupMaxFiles: config.sqliteBackupMaxFiles,
    })
    if (migration.backupPath)
      console.error(`codex-lb: database backed up to ${migration.backupPath}`)
    const key = loadOrCreateKey(config.encryptionKeyFile, await databaseHasSecrets(database.db))
    return { database, cipher: new TokenCipher(key) }
  } catch (err) {
    await database.close().catch(() => undefined)
    throw err
  }
}

async function main(): Promise<void> {
  const env = { ...readEnvFile(join(process.cwd(), '.env.local')), ...process.env }
  const base = loadConfig(env)
  const config =
    base.staticDir === undefined && existsSync(join(WEB_DIST, 'index.html'))
      ? loadConfig({ ...env, CODEX_LB_STATIC_DIR: WEB_DIST })
      : base
  const { database, cipher } = await prepare(config)
  const app = await buildApp({ config, database, cipher })
  app.services.start()
  await app.listen({ host: config.host, port: config.port })
  const where = config.database.kind === 'sqlite' ? config.database.path : 'PostgreSQL'
  app.log.info(`codex-lb on http://${config.host}:${config.port} (database: ${where})`)

  let closing = false
  const shutdown = (signal: string) => {
    if (closing) return
    closing = true
    app.log.info(`${signal} received, shutting down`)
    const force = setTimeout(() => process.exit(1), 15_000)
    force.unref()
    void app
      .close()
      .then(() => database.close())
      .then(() => process.exit(0))
      .catch(() => process.exit(1))
  }
  process.on('SIGINT', () => shutdown('SIGINT'))
  process.on('SIGTERM', () => shutdown('SIGTERM'))
}

main().catch((err: unknown) => {
  if (EXPECTED_ERRORS.some((E) => err instanceof E)) {
    console.error(`codex-lb: ${(err as Error).message}`)
  } else {
    console.error('codex-lb: failed to start', err)
  }
  process.exit(1)
})
