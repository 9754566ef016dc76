import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import SQLite from 'better-sqlite3'
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDatabase,
  type SqliteDialectConfig,
} from 'kysely'
import pg from 'pg'
import type { Config } from '../config/index.js'
import type { DialectName } from './dialect.js'
import type { Database } from './schema.js'

export interface DatabaseHandle {
  readonly db: Kysely<Database>
  readonly dialect: DialectName
  /** The SQLite file (absent for PostgreSQL and in-memory SQLite). */
  readonly sqlitePath: string | undefined
  /** PostgreSQL pool connections now (metrics); absent on SQLite. */
  poolStats?(): { total: number; idle: number; waiting: number }
  close(): Promise<void>
}

export class DatabaseOpenError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause })
    this.name = 'DatabaseOpenError'
  }
}

const INT8_OID = 20
const NUMERIC_OID = 1700
const BUSY_TIMEOUT_MS = 5000

/** Opens the configured database and checks that it answers; throws DatabaseOpenError otherwise. */
export async function openDatabase(config: Config['database']): Promise<DatabaseHandle> {
  if (config.kind === 'sqlite') return openSqlite(config.path)
  return openPostgres(config.url, config.poolSize)
}

function openSqlite(path: string): DatabaseHandle {
  let sqlite: SQLite.Database
  try {
    // The data dir holds the key and the database: owner-only, like ~/.ssh.
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
    sqlite = new SQLite(path, { timeout: BUSY_TIMEOUT_MS })
    if (path !== ':memory:') sqlite.pragma('journal_mode = WAL')
    sqlite.pragma('synchronous = NORMAL')
    sqlite.pragma('foreign_keys = ON')
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
  } catch (err) {
    throw new DatabaseOpenError(
      `Cannot open SQLite database at ${path}: ${(err as Error).message}`,
      err,
    )
  }
  const writer = path === ':memory:' ? undefined : sqliteWriterFlag(path)
  const db = new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }, writer),
  })
  return {
    db,
    dialect: 'sqlite',
    sqlitePath: path === ':memory:' ? undefined : path,
    close: () => db.destroy(),
  }
}

const writerFlags = new Map<string, Int32Array>()

/**
 * A flag shared with the request-log worker thread, per SQLite file: 1 while the worker holds (or is
 * about to take) the write lock. A transaction here waits for it on a promise rather than in SQLite's
 * busy handler, which sleeps on the event loop (1-5 ms steps, stalling every request meanwhile).
 */
export function sqliteWriterFlag(path: string): Int32Array {
  const key = resolve(path)
  let flag = writerFlags.get(key)
  if (!flag) {
    flag = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT))
    writerFlags.set(key, flag)
  }
  return flag
}

// Node has had Atomics.waitAsync since 16; TypeScript's lib here (ES2022) does not declare it.
const { waitAsync } = Atomics as unknown as {
  waitAsync(
    array: Int32Array,
    index: number,
    value: number,
    timeoutMs: number,
  ): { async: false; value: string } | { async: true; value: Promise<string> }
}

async function otherWriterDone(flag: Int32Array): Promise<void> {
  if (Atomics.load(flag, 0) === 0) return
  const waited = waitAsync(flag, 0, 1, BUSY_TIMEOUT_MS)
  // Timed out (a stuck flag): BEGIN IMMEDIATE and its busy timeout decide, as without the flag.
  if (waited.async) await waited.value
}

/**
 * Transactions take the write lock as they begin (BEGIN IMMEDIATE): the request-log worker writes on
 * a second connection, and a transaction that read before it wrote would otherwise fail with
 * SQLITE_BUSY_SNAPSHOT whenever the worker committed in between (no busy timeout helps there).
 */
class ImmediateSqliteDialect extends SqliteDialect {
  constructor(
    private readonly config: SqliteDialectConfig,
    private readonly writer: Int32Array | undefined,
  ) {
    super(config)
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.config, this.writer)
  }
}

const BEGIN_IMMEDIATE = CompiledQuery.raw('begin immediate')

class ImmediateSqliteDriver extends SqliteDriver {
  constructor(
    config: SqliteDialectConfig,
    private readonly writer: Int32Array | undefined,
  ) {
    super(config)
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.writer) await otherWriterDone(this.writer)
    await connection.executeQuery(BEGIN_IMMEDIATE)
  }
}

const STATEMENT_CACHE_SIZE = 256

/**
 * Kysely prepares a statement for every query; preparing costs more than running the small queries
 * of the request path, so prepared statements are kept by SQL text (bounded, oldest dropped first).
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>()
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let statement = cache.get(sql)
      if (!statement) {
        statement = sqlite.prepare(sql)
        cache.set(sql, statement)
        if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!)
      }
      return statement
    },
  }
}

async function openPostgres(url: string, poolSize: number): Promise<DatabaseHandle> {
  // int8 and numeric come back as strings by default; every such column of ours fits a JS number.
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') =>
      oid === INT8_OID || oid === NUMERIC_OID
        ? (v: string) => Number(v)
        : pg.types.getTypeParser(oid, format),
  }
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types })
  // An idle client losing its connection emits 'error' on the pool; without a listener it would crash.
  pool.on('error', () => undefined)
  // A checked-out client (inside a transaction, or mid-query) emits 'error' on itself, and pg-pool
  // only listens while it is idle: without this a database that goes away kills the process. The
  // query in flight still rejects, and the pool drops the dead client when it is released.
  pool.on('connect', (client) => client.on('error', () => undefined))
  try {
    const client = await pool.connect()
    client.release()
  } catch (err) {
    await pool.end().catch(() => undefined)
    throw new DatabaseOpenError(
      `Cannot connect to PostgreSQL (${redactUrl(url)}): ${(err as Error).message}`,
      err,
    )
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return {
    db,
    dialect: 'postgres',
    sqlitePath: undefined,
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => db.destroy(),
  }
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')
}
