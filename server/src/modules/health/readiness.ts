import type { FastifyBaseLogger } from 'fastify'
import type { Clock } from '../../lib/clock.js'

export type DatabaseCheck = 'ok' | 'unreachable' | 'timeout'
export type MigrationsCheck = 'ok' | 'pending' | 'unknown'

export interface ReadinessChecks {
  database: DatabaseCheck
  migrations: MigrationsCheck
  draining: boolean
}

export interface ReadinessReport {
  ready: boolean
  checks: ReadinessChecks
}

export interface ReadinessDeps {
  /** A trivial query; rejects when the database does not answer. */
  ping(): Promise<void>
  /** Names of the migrations recorded as applied. */
  appliedMigrations(): Promise<string[]>
  expectedMigrations: readonly string[]
  /** True once shutdown began (see http/drain.ts). */
  draining(): boolean
  clock: Clock
  log?: FastifyBaseLogger
  /** A database slower than this counts as not ready. */
  timeoutMs?: number
  /** A probe's answer is reused this long, so polling replicas never hammer the database. */
  cacheMs?: number
}

type DatabaseState = Omit<ReadinessChecks, 'draining'>

class ProbeTimeout extends Error {}

/** Settles with `promise`, or rejects with ProbeTimeout after `ms`. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new ProbeTimeout()), ms)
    timer.unref()
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/**
 * Answers whether this replica should receive traffic: the database answers a trivial query within
 * `timeoutMs`, every migration this build expects is applied, and shutdown has not begun. Draining
 * is read live (it must turn readiness off at once); the database part is probed at most once per
 * `cacheMs`, one probe at a time, and a query that hangs is never joined by a second one.
 */
export class Readiness {
  readonly #deps: ReadinessDeps
  readonly #timeoutMs: number
  readonly #cacheMs: number
  #cached: { at: number; state: DatabaseState } | undefined
  #probing: Promise<DatabaseState> | undefined
  #ping: Promise<void> | undefined
  /** Migrations are never undone: once all are seen applied, that is not asked again. */
  #migrated = false

  constructor(deps: ReadinessDeps) {
    this.#deps = deps
    this.#timeoutMs = deps.timeoutMs ?? 1000
    this.#cacheMs = deps.cacheMs ?? 1000
  }

  async check(): Promise<ReadinessReport> {
    const state = await this.#databaseState()
    const draining = this.#deps.draining()
    const ready = state.database === 'ok' && state.migrations === 'ok' && !draining
    return { ready, checks: { ...state, draining } }
  }

  #databaseState(): Promise<DatabaseState> {
    const cached = this.#cached
    if (cached && this.#deps.clock.now() - cached.at < this.#cacheMs) {
      return Promise.resolve(cached.state)
    }
    this.#probing ??= this.#probe()
      .then((state) => {
        this.#noteChange(cached?.state, state)
        this.#cached = { at: this.#deps.clock.now(), state }
        return state
      })
      .finally(() => (this.#probing = undefined))
    return this.#probing
  }

  async #probe(): Promise<DatabaseState> {
    try {
      this.#ping ??= this.#deps.ping().finally(() => (this.#ping = undefined))
      await withTimeout(this.#ping, this.#timeoutMs)
    } catch (err) {
      const database = err instanceof ProbeTimeout ? 'timeout' : 'unreachable'
      return { database, migrations: this.#migrated ? 'ok' : 'unknown' }
    }
    if (!this.#migrated) {
      try {
        const applied = new Set(await withTimeout(this.#deps.appliedMigrations(), this.#timeoutMs))
        this.#migrated = this.#deps.expectedMigrations.every((name) => applied.has(name))
      } catch {
        return { database: 'ok', migrations: 'unknown' }
      }
    }
    return { database: 'ok', migrations: this.#migrated ? 'ok' : 'pending' }
  }

  /** One line when the database part changes, not one per probe. */
  #noteChange(before: DatabaseState | undefined, after: DatabaseState): void {
    if (before?.database === after.database && before.migrations === after.migrations) return
    if (after.database === 'ok' && after.migrations === 'ok') {
      if (before) this.#deps.log?.info('readiness: database answers again')
    } else {
      this.#deps.log?.warn(
        { database: after.database, migrations: after.migrations },
        'readiness: not ready (database or migrations)',
      )
    }
  }
}
