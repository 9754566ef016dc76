/*
 * Claims read from Codex tokens. The JWTs are decoded without verifying signatures (§3.5): they come
 * from the user's own auth.json or straight from the auth server over TLS, and we only use them to
 * label and key the account, never to authorize anything.
 */

import { isRecord } from '../../lib/json.js'

export const OPENAI_AUTH_CLAIM = 'https://api.openai.com/auth'

export interface IdTokenClaims {
  email: string | null
  chatgptAccountId: string | null
  planType: string | null
}

type JsonObject = Record<string, unknown>

/** The payload of a JWT as an object, or null when the token is not a decodable JWT. */
export function decodeJwtPayload(token: string): JsonObject | null {
  const parts = token.split('.')
  if (parts.length < 2 || !parts[1]) return null
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'))
    return isRecord(payload) ? payload : null
  } catch {
    return null
  }
}

function nonEmptyString(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null
}

/** Reads a claim nested under the OpenAI auth claim first (preferred), else at the top level. */
function authClaim(payload: JsonObject, name: string): string | null {
  const nested = payload[OPENAI_AUTH_CLAIM]
  const fromNested = isRecord(nested) ? nonEmptyString(nested[name]) : null
  return fromNested ?? nonEmptyString(payload[name])
}

/** Email, workspace id and plan from an id_token; null when the token is not a JWT at all. */
export function readIdTokenClaims(idToken: string): IdTokenClaims | null {
  const payload = decodeJwtPayload(idToken)
  if (!payload) return null
  return {
    email: nonEmptyString(payload.email),
    chatgptAccountId: authClaim(payload, 'chatgpt_account_id'),
    planType: authClaim(payload, 'chatgpt_plan_type'),
  }
}

/** The `exp` claim in epoch ms, or null when absent or the token is opaque. */
export function readExpiry(token: string): number | null {
  const exp = decodeJwtPayload(token)?.exp
  return typeof exp === 'number' && Number.isFinite(exp) && exp > 0 ? Math.round(exp * 1000) : null
}
