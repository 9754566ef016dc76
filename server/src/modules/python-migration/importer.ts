import type { Kysely, Transaction } from 'kysely'
import type { TokenCipher } from '../../crypto/index.js'
import type { Database, NewAccountRow } from '../../db/index.js'
import type { ImportedAccount } from './map-accounts.js'
import type { ImportedKey, ImportedLimit } from './map-api-keys.js'
import type { ImportedLog, ImportedPin, ImportedUsage } from './map-history.js'
import type { ImportedSettings } from './map-settings.js'
import { writeHistory } from './import-history.js'
import type { TablePlan } from './plan.js'
import type { WriteCount } from './write-count.js'

/** Everything read from the original, table by table, ready to write. */
export interface MigrationPlan {
  accounts: TablePlan<ImportedAccount>
  apiKeys: TablePlan<ImportedKey>
  limits: TablePlan<ImportedLimit>
  settings: TablePlan<ImportedSettings>
  usage: TablePlan<ImportedUsage>
  logs: TablePlan<ImportedLog>
  pins: TablePlan<ImportedPin>
}

export type { WriteCount } from './write-count.js'

const CHUNK = 500

async function existingIds(
  trx: Transaction<Database>,
  table: 'accounts' | 'api_keys',
  ids: string[],
): Promise<Set<string>> {
  const found = new Set<string>()
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await trx
      .selectFrom(table)
      .select('id')
      .where('id', 'in', ids.slice(i, i + CHUNK))
      .execute()
    for (const r of rows) found.add(r.id)
  }
  return found
}

function sealAccount({ tokens, ...row }: ImportedAccount, cipher: TokenCipher): NewAccountRow {
  return {
    ...row,
    access_token_enc: cipher.encrypt(tokens.access),
    refresh_token_enc: cipher.encrypt(tokens.refresh),
    id_token_enc: cipher.encrypt(tokens.id),
  }
}

async function writeAccounts(
  trx: Transaction<Database>,
  plan: MigrationPlan,
  cipher: TokenCipher,
): Promise<WriteCount> {
  const there = await existingIds(
    trx,
    'accounts',
    plan.accounts.rows.map((r) => r.id),
  )
  const fresh = plan.accounts.rows
    .filter((r) => !there.has(r.id))
    .map((r) => sealAccount(r, cipher))
  for (let i = 0; i < fresh.length; i += CHUNK) {
    await trx
      .insertInto('accounts')
      .values(fresh.slice(i, i + CHUNK))
      .execute()
  }
  return { table: 'accounts', written: fresh.length, alreadyThere: there.size }
}

/** Keys new by id and by hash; limits only of the keys written now (a re-run adds none twice). */
async function writeKeys(trx: Transaction<Database>, plan: MigrationPlan): Promise<WriteCount[]> {
  const there = await existingIds(
    trx,
    'api_keys',
    plan.apiKeys.rows.map((r) => r.id),
  )
  const hashes = new Set<string>()
  const candidates = plan.apiKeys.rows.filter((r) => !there.has(r.id))
  for (let i = 0; i < candidates.length; i += CHUNK) {
    const rows = await trx
      .selectFrom('api_keys')
      .select('key_hash')
      .where(
        'key_hash',
        'in',
        candidates.slice(i, i + CHUNK).map((r) => r.key_hash),
      )
      .execute()
    for (const r of rows) hashes.add(r.key_hash)
  }
  const fresh = candidates.filter((r) => !hashes.has(r.key_hash))
  for (const key of fresh) await trx.insertInto('api_keys').values(key).execute()
  const written = new Set(fresh.map((k) => k.id))
  const limits = plan.limits.rows
    .filter((l) => written.has(l.api_key_id))
    .map(({ source_id: _unused, ...limit }) => limit)
  for (let i = 0; i < limits.length; i += CHUNK) {
    await trx
      .insertInto('api_key_limits')
      .values(limits.slice(i, i + CHUNK))
      .execute()
  }
  return [
    {
      table: 'api_keys',
      written: fresh.length,
      alreadyThere: plan.apiKeys.rows.length - fresh.length,
    },
    {
      table: 'api_key_limits',
      written: limits.length,
      alreadyThere: plan.limits.rows.length - limits.length,
    },
  ]
}

async function writeSettings(
  trx: Transaction<Database>,
  plan: MigrationPlan,
  cipher: TokenCipher,
  now: number,
): Promise<WriteCount> {
  const settings = plan.settings.rows[0]
  const done = await trx
    .selectFrom('python_import')
    .select('source_table')
    .where('source_table', '=', 'dashboard_settings')
    .executeTakeFirst()
  if (!settings || done) {
    return { table: 'dashboard_settings', written: 0, alreadyThere: done && settings ? 1 : 0 }
  }
  const { totpSecret, ...values } = settings
  const sealed = {
    ...values,
    totp_secret_enc: totpSecret === null ? null : cipher.encrypt(totpSecret),
  }
  await trx.updateTable('dashboard_settings').set(sealed).where('id', '=', 1).execute()
  await trx
    .insertInto('python_import')
    .values({ source_table: 'dashboard_settings', last_id: null, imported_at: now })
    .execute()
  return { table: 'dashboard_settings', written: 1, alreadyThere: 0 }
}

/**
 * Writes the plan in one transaction: all of it or, on any failure, nothing. Secrets are sealed
 * with our key here. Idempotent by the original's ids, so a second run writes only what the first
 * did not.
 */
export async function writePlan(
  db: Kysely<Database>,
  plan: MigrationPlan,
  cipher: TokenCipher,
  now: number,
): Promise<WriteCount[]> {
  return db
    .transaction()
    .execute(async (trx) => [
      await writeAccounts(trx, plan, cipher),
      ...(await writeKeys(trx, plan)),
      await writeSettings(trx, plan, cipher, now),
      ...(await writeHistory(trx, plan, now)),
    ])
}
