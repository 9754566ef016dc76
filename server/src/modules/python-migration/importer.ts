import type { Kysely, Transaction } from 'kysely'
import type { TokenCipher } from '../../crypto/index.js'
import type { Database, NewAccountRow } from '../../db/index.js'
import {
  accountIdMap,
  existingAccounts,
  resolveAccounts,
  type AccountFate,
} from './account-merge.js'
import type { ImportedAccount } from './map-accounts.js'
import type { ImportedKey, ImportedLimit } from './map-api-keys.js'
import type { ImportedPin } from './map-history.js'
import type { ImportedSettings } from './map-settings.js'
import { writeHistory } from './import-history.js'
import type { StreamSummary, TablePlan } from './plan.js'
import type { SourceDatabase } from './source.js'
import type { WriteCount } from './write-count.js'

/**
 * What is read from the original before writing: the small tables whole, ready to write, and the
 * big ones (usage history, request logs) as counts only — they are streamed from `source` while
 * being written.
 */
export interface MigrationPlan {
  accounts: TablePlan<ImportedAccount>
  apiKeys: TablePlan<ImportedKey>
  limits: TablePlan<ImportedLimit>
  settings: TablePlan<ImportedSettings>
  pins: TablePlan<ImportedPin>
  history: StreamSummary[]
}

export type { WriteCount } from './write-count.js'

export interface WriteOptions {
  now: number
  pageSize: number
  skipBadRows: boolean
  /** The original installation (history watermarks are kept per installation). */
  installId: string
}

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

/**
 * New accounts are inserted; an account this codex-lb already has (same id, or same workspace +
 * email under another id) keeps its row and id and takes the original's tokens only when they were
 * refreshed later — with the original's status, which describes those tokens (refresh tokens
 * rotate, so the older set may no longer work).
 */
async function writeAccounts(
  trx: Transaction<Database>,
  plan: MigrationPlan,
  cipher: TokenCipher,
  now: number,
): Promise<{ count: WriteCount; fates: Map<string, AccountFate> }> {
  const fates = resolveAccounts(await existingAccounts(trx), plan.accounts.rows)
  const fresh: NewAccountRow[] = []
  let merged = 0
  let tokensTaken = 0
  for (const account of plan.accounts.rows) {
    const fate = fates.get(account.id)!
    if (fate.kind === 'new') {
      fresh.push(sealAccount(account, cipher))
      continue
    }
    if (!fate.sameId) merged += 1
    if (!fate.takeTokens) continue
    tokensTaken += 1
    const sealed = sealAccount(account, cipher)
    await trx
      .updateTable('accounts')
      .set({
        access_token_enc: sealed.access_token_enc,
        refresh_token_enc: sealed.refresh_token_enc,
        id_token_enc: sealed.id_token_enc,
        access_token_expires_at: sealed.access_token_expires_at,
        last_refresh_at: sealed.last_refresh_at,
        status: sealed.status,
        deactivation_reason: sealed.deactivation_reason,
        reset_at: sealed.reset_at,
        cooldown_until: null,
        updated_at: now,
      })
      .where('id', '=', fate.into)
      .execute()
  }
  for (let i = 0; i < fresh.length; i += CHUNK) {
    await trx
      .insertInto('accounts')
      .values(fresh.slice(i, i + CHUNK))
      .execute()
  }
  const count = {
    table: 'accounts',
    written: fresh.length,
    alreadyThere: plan.accounts.rows.length - fresh.length - merged,
    merged,
    tokensTaken,
  }
  return { count, fates }
}

/**
 * Keys new by id and by hash; limits only of the keys written now (a re-run adds none twice). A key
 * already here under another id (same hash) keeps that id; the original's id maps onto it.
 */
async function writeKeys(
  trx: Transaction<Database>,
  plan: MigrationPlan,
): Promise<{ counts: WriteCount[]; keyIds: Map<string, string> }> {
  const there = await existingIds(
    trx,
    'api_keys',
    plan.apiKeys.rows.map((r) => r.id),
  )
  const hashes = new Map<string, string>()
  const candidates = plan.apiKeys.rows.filter((r) => !there.has(r.id))
  for (let i = 0; i < candidates.length; i += CHUNK) {
    const rows = await trx
      .selectFrom('api_keys')
      .select(['id', 'key_hash'])
      .where(
        'key_hash',
        'in',
        candidates.slice(i, i + CHUNK).map((r) => r.key_hash),
      )
      .execute()
    for (const r of rows) hashes.set(r.key_hash, r.id)
  }
  const keyIds = new Map<string, string>()
  for (const r of candidates) {
    const other = hashes.get(r.key_hash)
    if (other !== undefined) keyIds.set(r.id, other)
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
  const counts = [
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
  return { counts, keyIds }
}

const SIGN_IN = [
  'password_hash',
  'totp_secret_enc',
  'totp_last_verified_step',
  'totp_required_on_login',
] as const

/** The settings without the dashboard sign-in (password, TOTP and whether TOTP is required). */
function withoutSignIn<T extends Record<string, unknown>>(values: T): Partial<T> {
  const rest: Partial<T> = { ...values }
  for (const k of SIGN_IN) delete rest[k]
  return rest
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
  // A password set here before the migration is the user's choice for this codex-lb: the sign-in
  // (password, TOTP and whether it is required) stays as it is; the other settings come over.
  const own = await trx
    .selectFrom('dashboard_settings')
    .select('password_hash')
    .where('id', '=', 1)
    .executeTakeFirst()
  const keepSignIn = own?.password_hash != null
  const update = keepSignIn ? withoutSignIn(sealed) : sealed
  await trx.updateTable('dashboard_settings').set(update).where('id', '=', 1).execute()
  await trx
    .insertInto('python_import')
    .values({ source_table: 'dashboard_settings', last_id: null, imported_at: now })
    .execute()
  const left = new Map<string, number>()
  if (keepSignIn) left.set('dashboard sign-in kept: this codex-lb already had a password', 1)
  return { table: 'dashboard_settings', written: 1, alreadyThere: 0, left }
}

/**
 * Writes the plan in one transaction, streaming the history from `source`: all of it or, on any
 * failure (a bad history row without --skip-bad-rows included), nothing. Secrets are sealed with
 * our key here. Idempotent by the original's ids, so a second run writes only what the first did not.
 */
export async function writePlan(
  db: Kysely<Database>,
  source: SourceDatabase,
  plan: MigrationPlan,
  cipher: TokenCipher,
  options: WriteOptions,
): Promise<WriteCount[]> {
  return db.transaction().execute(async (trx) => {
    const accounts = await writeAccounts(trx, plan, cipher, options.now)
    const keys = await writeKeys(trx, plan)
    const settings = await writeSettings(trx, plan, cipher, options.now)
    const history = await writeHistory(trx, source, plan.pins, {
      ids: { accounts: accountIdMap(accounts.fates), keys: keys.keyIds },
      pageSize: options.pageSize,
      skipBadRows: options.skipBadRows,
      now: options.now,
      installId: options.installId,
    })
    return [accounts.count, ...keys.counts, settings, ...history]
  })
}
