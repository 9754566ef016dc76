import { createHash, randomBytes } from 'node:crypto'

export const API_KEY_PREFIX = 'sk-clb-'
/** `sk-clb-` plus 8 characters: enough to tell keys apart in a list, far too little to guess one. */
export const DISPLAY_PREFIX_LENGTH = 15

export interface ApiKeyMaterial {
  /** The plain key: shown once (create, regenerate), never stored. */
  key: string
  /** Lowercase hex SHA-256 of the key; the only form kept. */
  hash: string
  prefix: string
}

/** `sk-clb-` + 32 random bytes in base64url (43 characters). */
export function generateApiKey(): ApiKeyMaterial {
  const key = API_KEY_PREFIX + randomBytes(32).toString('base64url')
  return { key, hash: hashApiKey(key), prefix: key.slice(0, DISPLAY_PREFIX_LENGTH) }
}

// A fast hash is enough here: the key carries 256 random bits, so there is nothing to brute-force.
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex')
}
