import { createHash } from 'node:crypto'
import { InvalidAuthJsonError } from './errors.js'
import type { IdTokenClaims } from './jwt-claims.js'

export interface AccountIdentity {
  /** Internal primary key (§3.6 shape). */
  id: string
  /** Lower-cased email, or null when the id_token carries none. */
  email: string | null
  chatgptAccountId: string | null
}

const KNOWN_PLANS = new Set(['free', 'plus', 'pro', 'team', 'business', 'enterprise', 'edu'])

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

export function normalizeEmail(email: string | null): string | null {
  const trimmed = email?.trim().toLowerCase() ?? ''
  return trimmed === '' ? null : trimmed
}

/**
 * The internal id as the original built it (§3.6): `<workspace>_<sha256(email)[:8]>`, the workspace
 * id alone, or `email_<sha256(email)[:12]>`. The same person in two workspaces therefore gets two
 * ids. Unlike the original there is no `unknown@example.com` fallback (§12 item 8): without both an
 * email and a workspace id nothing identifies the account, so it is rejected.
 */
export function accountIdFor(chatgptAccountId: string | null, email: string | null): string {
  if (chatgptAccountId && email) return `${chatgptAccountId}_${sha256Hex(email).slice(0, 8)}`
  if (chatgptAccountId) return chatgptAccountId
  if (email) return `email_${sha256Hex(email).slice(0, 12)}`
  throw new InvalidAuthJsonError(
    'the id_token has no email claim and no ChatGPT account id was found ' +
      '(tokens.account_id or the chatgpt_account_id claim), so the account cannot be identified',
  )
}

/** Workspace id: `tokens.account_id` from the file, else the id_token claim (§3.6). */
export function resolveIdentity(
  fileAccountId: string | null,
  claims: IdTokenClaims,
): AccountIdentity {
  const email = normalizeEmail(claims.email)
  const chatgptAccountId = fileAccountId ?? claims.chatgptAccountId
  return { id: accountIdFor(chatgptAccountId, email), email, chatgptAccountId }
}

/** Known plans are lower-cased; others keep their trimmed spelling; empty means `unknown`. */
export function coercePlanType(raw: string | null | undefined): string {
  const trimmed = raw?.trim() ?? ''
  if (trimmed === '') return 'unknown'
  const lower = trimmed.toLowerCase()
  return KNOWN_PLANS.has(lower) ? lower : trimmed
}
