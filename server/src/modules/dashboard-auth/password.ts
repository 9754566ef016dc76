import bcrypt from 'bcryptjs'
import { DashboardBadRequestError, ValidationError } from '../../errors/index.js'

/** bcrypt's cost when CODEX_LB_PASSWORD_HASH_COST is unset (each step doubles the work). */
export const BCRYPT_COST = 12
export const PASSWORD_MIN_LENGTH = 8
/** bcrypt reads only the first 72 bytes; a longer password would silently lose its tail. */
export const PASSWORD_MAX_BYTES = 72

const DUMMY_PASSWORD = 'codex-lb:no-password-configured'
// Real hashes of DUMMY_PASSWORD, one per cost, made once per process: comparing against one of the
// configured cost when no password is stored makes a login take the same time whether or not a
// password exists. The default cost's is written out, so a normal start spends no time on it.
const dummyHashes = new Map<number, Promise<string>>([
  [BCRYPT_COST, Promise.resolve('$2b$12$agqWl77E67bbM.dhn6K/aO1PfjuSFuwtvMQ6MP/RWFzj2U5SgYrDi')],
])

function dummyHash(cost: number): Promise<string> {
  let hash = dummyHashes.get(cost)
  if (!hash) {
    hash = bcrypt.hash(DUMMY_PASSWORD, cost)
    dummyHashes.set(cost, hash)
  }
  return hash
}

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

export interface PasswordHasher {
  /** The bcrypt cost new hashes get (CODEX_LB_PASSWORD_HASH_COST). */
  readonly cost: number
  hash(password: string): Promise<string>
  /**
   * Compares in bcrypt's constant time. With no stored hash it still does the full comparison
   * against a dummy of the same cost and answers false; an over-long candidate can never match (we
   * never store one) and is compared too, so neither case is faster.
   */
  verify(candidate: string, hash: string | null): Promise<boolean>
}

/**
 * Hashes at `cost`; stored hashes verify whatever cost they were made with, so changing the
 * setting needs no migration (a password gets the new cost when it is next set).
 */
export function passwordHasher(cost: number = BCRYPT_COST): PasswordHasher {
  // Made now, not at the first login, so that login is not slower than the ones after it.
  dummyHash(cost).catch(() => undefined)
  return {
    cost,
    hash: (password) => bcrypt.hash(password, cost),
    async verify(candidate, hash) {
      const usable = hash !== null && Buffer.byteLength(candidate, 'utf8') <= PASSWORD_MAX_BYTES
      try {
        const matches = await bcrypt.compare(candidate, hash ?? (await dummyHash(cost)))
        return usable && matches
      } catch {
        return false
      }
    },
  }
}
