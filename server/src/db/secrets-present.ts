import type { Kysely } from 'kysely'
import type { Database } from './schema.js'

/** True when any encrypted secret is stored: then a missing key file must not be replaced. */
export async function databaseHasSecrets(db: Kysely<Database>): Promise<boolean> {
  const account = await db.selectFrom('accounts').select('id').limit(1).executeTakeFirst()
  if (account) return true
  const totp = await db
    .selectFrom('dashboard_settings')
    .select('id')
    .where('totp_secret_enc', 'is not', null)
    .executeTakeFirst()
  return totp !== undefined
}
