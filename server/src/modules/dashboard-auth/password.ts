import bcrypt from 'bcryptjs'
import { DashboardBadRequestError, ValidationError } from '../../errors/index.js'

export const BCRYPT_COST = 12
export const PASSWORD_MIN_LENGTH = 8
/** bcrypt reads only the first 72 bytes; a longer password would silently lose its tail. */
export const PASSWORD_MAX_BYTES = 72

// A real cost-12 hash (of "codex-lb:no-password-configured"): comparing against it when no password
// is stored makes a login take the same time whether or not a password exists.
const DUMMY_HASH = '$2b$12$agqWl77E67bbM.dhn6K/aO1PfjuSFuwtvMQ6MP/RWFzj2U5SgYrDi'

/**
 * The password to store: trimmed (the original hashed the trimmed value), at least 8 characters (else
 * 422 `validation_error`) and at most 72 UTF-8 bytes (else 400 `password_too_long`); both name
 * `field`. bcrypt never sees an unusable value.
 */
export function acceptNewPassword(raw: string, field: string): string {
  const password = raw.trim()
  if (password.length < PASSWORD_MIN_LENGTH) {
    throw new ValidationError(
      `${field}: Password must be at least ${PASSWORD_MIN_LENGTH} characters`,
      field,
      422,
    )
  }
  if (Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES) {
    // A clear 400 (issue 4): bcrypt would silently ignore the tail, the original answered 500.
    throw new DashboardBadRequestError(
      `${field}: Password must be at most ${PASSWORD_MAX_BYTES} bytes (UTF-8); bcrypt ignores the rest`,
      'password_too_long',
    )
  }
  return password
}

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_COST)
}

/**
 * Compares in bcrypt's constant time. With no stored hash it still does the full comparison against
 * a dummy and answers false; an over-long candidate can never match (we never store one) and is
 * compared too, so neither case is faster.
 */
export async function verifyPassword(candidate: string, hash: string | null): Promise<boolean> {
  const usable = hash !== null && Buffer.byteLength(candidate, 'utf8') <= PASSWORD_MAX_BYTES
  try {
    const matches = await bcrypt.compare(candidate, hash ?? DUMMY_HASH)
    return usable && matches
  } catch {
    return false
  }
}
