import type { Kysely } from 'kysely'
import type { Database } from '../../db/index.js'
import type { ImportedAccount } from './map-accounts.js'

/** What an account already in this codex-lb needs for the comparison. */
export interface ExistingAccount {
  id: string
  chatgpt_account_id: string | null
  email: string
  last_refresh_at: number
}

/**
 * What happens to one original account: written as a new row, or joined to a row this codex-lb
 * already has — with the same id (a previous run, or the same id formula), or with the same
 * workspace + email under another id (the user signed it in here before migrating). A joined row
 * keeps its id; the original's tokens replace its own only when they were refreshed later.
 */
export type AccountFate =
  { kind: 'new' } | { kind: 'existing'; into: string; sameId: boolean; takeTokens: boolean }

/** The original's placeholder for an unknown email identifies no one. */
const UNKNOWN_EMAIL = 'unknown@example.com'

/** Workspace + email, as this codex-lb identifies an account (emails compared lower-cased). */
function identity(chatgptAccountId: string | null | undefined, email: string): string | null {
  const normalized = email.trim().toLowerCase()
  if (!chatgptAccountId || normalized === '' || normalized === UNKNOWN_EMAIL) return null
  return `${chatgptAccountId}\u0000${normalized}`
}

/**
 * Decides every original account's fate against the target's accounts, in order, so that two
 * original rows of one identity also end up as one row (the second joins the first).
 */
export function resolveAccounts(
  existing: readonly ExistingAccount[],
  planned: readonly ImportedAccount[],
): Map<string, AccountFate> {
  const byId = new Map(existing.map((a) => [a.id, { ...a }]))
  const byIdentity = new Map<string, { id: string; last_refresh_at: number }>()
  for (const a of byId.values()) {
    const key = identity(a.chatgpt_account_id, a.email)
    if (key !== null && !byIdentity.has(key)) byIdentity.set(key, a)
  }
  const fates = new Map<string, AccountFate>()
  for (const account of planned) {
    const key = identity(account.chatgpt_account_id, account.email)
    const match = byId.get(account.id) ?? (key === null ? undefined : byIdentity.get(key))
    if (!match) {
      const added = { ...account, chatgpt_account_id: account.chatgpt_account_id ?? null }
      byId.set(account.id, added)
      if (key !== null) byIdentity.set(key, added)
      fates.set(account.id, { kind: 'new' })
      continue
    }
    const takeTokens = account.last_refresh_at > match.last_refresh_at
    if (takeTokens) match.last_refresh_at = account.last_refresh_at
    fates.set(account.id, {
      kind: 'existing',
      into: match.id,
      sameId: match.id === account.id,
      takeTokens,
    })
  }
  return fates
}

/** Original account id → the id its data goes under here (itself unless joined to another row). */
export function accountIdMap(fates: ReadonlyMap<string, AccountFate>): Map<string, string> {
  return new Map(
    [...fates].map(([id, fate]) => [id, fate.kind === 'existing' ? fate.into : id] as const),
  )
}

/** The target's accounts (a few hundred at most: read whole). */
export function existingAccounts(db: Kysely<Database>): Promise<ExistingAccount[]> {
  return db
    .selectFrom('accounts')
    .select(['id', 'chatgpt_account_id', 'email', 'last_refresh_at'])
    .orderBy('created_at')
    .orderBy('id')
    .execute()
}

/** The dry run's lines for the accounts that join an existing row under another id. */
export function mergeLines(
  planned: readonly ImportedAccount[],
  fates: ReadonlyMap<string, AccountFate>,
): Array<{ id: string; reason: string }> {
  const lines: Array<{ id: string; reason: string }> = []
  for (const account of planned) {
    const fate = fates.get(account.id)
    if (fate?.kind !== 'existing' || fate.sameId) continue
    lines.push({
      id: account.id,
      reason:
        `merged into existing account ${fate.into} (same workspace and email): ` +
        (fate.takeTokens
          ? "the original's tokens are newer and replace its tokens"
          : 'its own tokens are as new or newer and are kept'),
    })
  }
  return lines
}
