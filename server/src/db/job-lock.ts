import { createHash } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import type { DialectName } from './dialect.js'
import type { Database } from './schema.js'

import type { RunExclusive } from '../lib/scheduler.js'

/** A stable 63-bit key per job name for PostgreSQL advisory locks. */
function lockKey(name: string): bigint {
  return createHash('sha256').update(`codex-lb:${name}`).digest().readBigInt64BE(0)
}

/**
 * Runs a background job on one replica at a time. On PostgreSQL a transaction-scoped advisory lock
 * is held while the job runs; a replica that cannot take it skips this round (returns false). With
 * SQLite there is one process per database file, so the job simply runs.
 */
export function exclusiveRunner(db: Kysely<Database>, dialect: DialectName): RunExclusive {
  if (dialect === 'sqlite') {
    return async (_name, work) => {
      await work()
      return true
    }
  }
  return (name, work) =>
    db.transaction().execute(async (trx) => {
      const got = await sql<{
        locked: boolean
      }>`select pg_try_advisory_xact_lock(${lockKey(name).toString()}::bigint) as locked`.execute(
        trx,
      )
      if (!got.rows[0]?.locked) return false
      await work()
      return true
    })
}

export type KeyedLock = <T>(name: string, work: () => Promise<T>) => Promise<T>

/**
 * Runs `work` while holding a cross-replica lock named `name`, waiting for it if another replica
 * holds it (PostgreSQL transaction-scoped advisory lock). With SQLite there is one process per
 * database file, so in-process coordination is all there is and `work` just runs.
 */
export function blockingLock(db: Kysely<Database>, dialect: DialectName): KeyedLock {
  if (dialect === 'sqlite') return (_name, work) => work()
  return (name, work) =>
    db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${lockKey(name).toString()}::bigint)`.execute(trx)
      return work()
    })
}
