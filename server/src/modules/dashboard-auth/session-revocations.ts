import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'

/** Where revoked session ids live; the database, so every replica sees a logout at once. */
export interface RevocationStore {
  isRevoked(sid: string): Promise<boolean>
  /** Revokes `sid` until `expiresAt` (epoch ms: the cookie's own expiry, after which it is dead anyway). */
  revoke(sid: string, expiresAt: number, now: number): Promise<void>
}

/**
 * dashboard_session_revocations: one row per logged-out session, looked up by primary key on every
 * dashboard request. Not cached: a cache would need dropping on every replica at logout, and the
 * lookup is one indexed read. Rows past their cookie's expiry are pruned at the next logout, so the
 * table holds at most the logouts of one session lifetime (12 h).
 */
export class SessionRevocations implements RevocationStore {
  constructor(private readonly db: Kysely<Database>) {}

  async isRevoked(sid: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('dashboard_session_revocations')
      .select('session_id')
      .where('session_id', '=', sid)
      .executeTakeFirst()
    return row !== undefined
  }

  async revoke(sid: string, expiresAt: number, now: number): Promise<void> {
    await this.db
      .deleteFrom('dashboard_session_revocations')
      .where('expires_at', '<=', now)
      .execute()
    await this.db
      .insertInto('dashboard_session_revocations')
      .values({ session_id: sid, expires_at: expiresAt })
      .onConflict((oc) => oc.column('session_id').doNothing())
      .execute()
  }
}
