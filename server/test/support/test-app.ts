import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.js'
import { loadConfig, type Config } from '../../src/config/index.js'
import { TokenCipher, loadOrCreateKey } from '../../src/crypto/index.js'
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../../src/db/index.js'
import type { Clock } from '../../src/lib/clock.js'
import type { DevicePolling } from '../../src/modules/oauth/index.js'
import { TEST_PASSWORD_HASH_COST } from './hash-cost.js'

export interface TestApp {
  app: FastifyInstance
  /** Base URL of the listening server, e.g. http://127.0.0.1:54321 */
  url: string
  config: Config
  database: DatabaseHandle
  cipher: TokenCipher
  dataDir: string
  close(): Promise<void>
}

export interface TestAppOptions {
  /** CODEX_LB_* variables (without prefix) on top of the test defaults. */
  env?: Record<string, string>
  database?: Config['database']
  clock?: Clock
  /** Start background jobs (usage polling etc.); off by default so tests drive them. */
  startJobs?: boolean
  /** Keep this data dir (for restart tests). */
  dataDir?: string
  /** Instant OAuth device-code polls (the test moves its clock instead). */
  oauthDevicePolling?: DevicePolling
  /** Turns logging on (at CODEX_LB_LOG_LEVEL) into this stream; tests run silent otherwise. */
  logStream?: { write(line: string): void }
}

/** Starts the real server on 127.0.0.1:0 with a fresh data dir (SQLite unless `database` is given). */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'codex-lb-test-'))
  const env: Record<string, string> = {
    CODEX_LB_DATA_DIR: dataDir,
    CODEX_LB_PORT: '0',
    CODEX_LB_LOG_LEVEL: 'silent',
    CODEX_LB_UPSTREAM_BASE_URL: 'http://127.0.0.1:9/backend-api',
    CODEX_LB_AUTH_BASE_URL: 'http://127.0.0.1:9',
    CODEX_LB_PASSWORD_HASH_COST: String(TEST_PASSWORD_HASH_COST),
  }
  for (const [k, v] of Object.entries(options.env ?? {})) env[`CODEX_LB_${k}`] = v
  const base = loadConfig(env)
  const config: Config = options.database ? { ...base, database: options.database } : base
  const database = await openDatabase(config.database)
  await migrateToLatest(database.db, { sqlitePath: database.sqlitePath })
  const cipher = new TokenCipher(loadOrCreateKey(config.encryptionKeyFile, false))
  const app = await buildApp({
    config,
    database,
    cipher,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.oauthDevicePolling ? { oauthDevicePolling: options.oauthDevicePolling } : {}),
    ...(options.logStream ? { logStream: options.logStream } : { logger: false }),
  })
  if (options.startJobs) app.services.start()
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    config,
    database,
    cipher,
    dataDir,
    async close() {
      await app.close()
      await database.close()
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
