import { sql, type Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'

const ROW_ID = 1

/** The secret-bearing columns of the settings row; only the dashboard-auth service reads them. */
export interface Credentials {
  passwordHash: string | null
  totpSecretEnc: string | null
  totpLastVerifiedStep: number | null
  sessionEpoch: number
}

/**
 * Password and TOTP writes. Each one that must not race is a conditional UPDATE whose row count says
 * whether it won: setup is first-writer-wins, a change replaces only the hash it verified, and a TOTP
 * step is consumed at most once.
 */
export class AuthRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async credentials(): Promise<Credentials> {
    const row = await this.db
      .selectFrom('dashboard_settings')
      .select(['password_hash', 'totp_secret_enc', 'totp_last_verified_step', 'session_epoch'])
      .where('id', '=', ROW_ID)
      .executeTakeFirst()
    return {
      passwordHash: row?.password_hash ?? null,
      totpSecretEnc: row?.totp_secret_enc ?? null,
      totpLastVerifiedStep:
        row?.totp_last_verified_step == null ? null : Number(row.totp_last_verified_step),
      sessionEpoch: Number(row?.session_epoch ?? 0),
    }
  }

  async setPasswordIfAbsent(hash: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('dashboard_settings')
      .set({ password_hash: hash, updated_at: now })
      .where('id', '=', ROW_ID)
      .where('password_hash', 'is', null)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  /** Replaces `expected` with `hash` and starts a new session epoch; null when the hash moved on. */
  async replacePassword(expected: string, hash: string, now: number): Promise<number | null> {
    const row = await this.db
      .updateTable('dashboard_settings')
      .set({ password_hash: hash, session_epoch: sql`session_epoch + 1`, updated_at: now })
      .where('id', '=', ROW_ID)
      .where('password_hash', '=', expected)
      .returning('session_epoch')
      .executeTakeFirst()
    return row ? Number(row.session_epoch) : null
  }

  /** Removal wipes TOTP too (the second factor of a password that no longer exists). */
  async clearPasswordAndTotp(expected: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('dashboard_settings')
      .set({
        password_hash: null,
        totp_secret_enc: null,
        totp_last_verified_step: null,
        totp_required_on_login: 0,
        session_epoch: sql`session_epoch + 1`,
        updated_at: now,
      })
      .where('id', '=', ROW_ID)
      .where('password_hash', '=', expected)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  /** Stores a confirmed secret unless one is already there; the confirming step counts as used. */
  async storeTotpSecretIfAbsent(secretEnc: string, usedStep: number, now: number) {
    const result = await this.db
      .updateTable('dashboard_settings')
      .set({ totp_secret_enc: secretEnc, totp_last_verified_step: usedStep, updated_at: now })
      .where('id', '=', ROW_ID)
      .where('totp_secret_enc', 'is', null)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  /** Consumes `step`; false when it (or a later one) was already used, e.g. by a concurrent verify. */
  async consumeTotpStep(step: number, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('dashboard_settings')
      .set({ totp_last_verified_step: step, updated_at: now })
      .where('id', '=', ROW_ID)
      .where('totp_secret_enc', 'is not', null)
      .where((eb) =>
        eb.or([
          eb('totp_last_verified_step', 'is', null),
          eb('totp_last_verified_step', '<', step),
        ]),
      )
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  async clearTotp(now: number): Promise<void> {
    await this.db
      .updateTable('dashboard_settings')
      .set({
        totp_secret_enc: null,
        totp_last_verified_step: null,
        totp_required_on_login: 0,
        updated_at: now,
      })
      .where('id', '=', ROW_ID)
      .execute()
  }
}
