import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

export const SESSION_COOKIE = 'codex_lb_dashboard_session'
export const SESSION_TTL_SECONDS = 12 * 3600
/** The HKDF purpose for the cookie key: the at-rest token key is never used for cookies. */
export const SESSION_KEY_PURPOSE = 'dashboard-session-cookie/v1'

/** The factors a session proves: password (`pw`), TOTP (`tv`), under session epoch `ep`. */
export interface SessionFactors {
  readonly pw: boolean
  readonly tv: boolean
  readonly ep: number
}

/**
 * What a session cookie asserts. `exp` is epoch seconds; `ep` must equal the current session epoch;
 * `sid` names the sign-in (kept when TOTP or a password change re-issues the cookie), so logout can
 * revoke it on the server.
 */
export interface SessionClaims extends SessionFactors {
  readonly exp: number
  readonly sid: string
}

/** 128 random bits, base64url. */
export function newSessionId(): string {
  return randomBytes(16).toString('base64url')
}

const SESSION_ID = /^[A-Za-z0-9_-]{16,64}$/

const VERSION = 1
const IV_BYTES = 12
const TAG_BYTES = 16
// Binding the ciphertext to the cookie name stops a token minted for another purpose being replayed.
const AAD = Buffer.from(SESSION_COOKIE)

/**
 * Seals session claims into an opaque cookie value: AES-256-GCM (encrypted and authenticated), so the
 * client can neither read nor forge `pw`/`tv`. Output: base64url of `version | iv | tag | ciphertext`.
 */
export class SessionCodec {
  readonly #key: Buffer

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('session key must be 32 bytes')
    this.#key = key
  }

  seal(claims: SessionClaims): string {
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv)
    cipher.setAAD(AAD)
    const { exp, pw, tv, ep, sid } = claims
    const plain = JSON.stringify({ exp, pw, tv, ep, sid })
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), ct]).toString(
      'base64url',
    )
  }

  /** The claims of a well-formed, authentic, unexpired token; null for anything else. */
  open(token: string | undefined, nowMs: number): SessionClaims | null {
    if (!token) return null
    const claims = parseClaims(this.#decrypt(token))
    if (!claims || claims.exp * 1000 <= nowMs) return null
    return claims
  }

  #decrypt(token: string): string | null {
    const raw = Buffer.from(token, 'base64url')
    if (raw.length <= 1 + IV_BYTES + TAG_BYTES || raw[0] !== VERSION) return null
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(1, 1 + IV_BYTES))
      decipher.setAAD(AAD)
      decipher.setAuthTag(raw.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES))
      const ct = raw.subarray(1 + IV_BYTES + TAG_BYTES)
      return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8')
    } catch {
      return null
    }
  }
}

/**
 * Every field is required: a token without `pw` (the pre-password format) is refused (seed 004 §4.3),
 * and so is one without `sid` (minted before logout could revoke it: one more sign-in after upgrading).
 */
function parseClaims(text: string | null): SessionClaims | null {
  if (text === null) return null
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null) return null
  const { exp, pw, tv, ep, sid } = value as Record<string, unknown>
  if (typeof exp !== 'number' || !Number.isInteger(exp)) return null
  if (typeof pw !== 'boolean' || typeof tv !== 'boolean') return null
  if (typeof ep !== 'number' || !Number.isInteger(ep)) return null
  if (typeof sid !== 'string' || !SESSION_ID.test(sid)) return null
  return { exp, pw, tv, ep, sid }
}
