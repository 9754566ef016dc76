import { randomBytes } from 'node:crypto'
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

export class KeyFileError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'KeyFileError'
  }
}

function parseKey(text: string, path: string): Buffer {
  const trimmed = text.trim()
  // Accept base64 (what we write) and hex; a Fernet key file from the Python original is base64url
  // of 32 bytes too, so it decodes to a usable key (its old ciphertexts are still not readable).
  const candidates = [
    Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64'),
    /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.alloc(0),
  ]
  const key = candidates.find((k) => k.length === 32)
  if (!key) throw new KeyFileError(`Encryption key file ${path} does not hold a 32-byte key`)
  return key
}

/**
 * Reads the 32-byte key, or creates it (mode 0600) when absent. Creating a key is refused while the
 * database already holds encrypted data: a new key could never read it, so starting would only hide
 * the loss.
 */
export function loadOrCreateKey(path: string, databaseHasSecrets: boolean): Buffer {
  let text: string | undefined
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new KeyFileError(`Cannot read encryption key file ${path}: ${(err as Error).message}`)
    }
  }
  if (text !== undefined) return parseKey(text, path)
  if (databaseHasSecrets) {
    throw new KeyFileError(
      `Encryption key file ${path} is missing but the database holds encrypted tokens. ` +
        'Restore the key file (or point CODEX_LB_ENCRYPTION_KEY_FILE at it); refusing to create a new key.',
    )
  }
  const key = randomBytes(32)
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
    writeFileSync(path, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' })
    chmodSync(path, 0o600)
  } catch (err) {
    throw new KeyFileError(`Cannot create encryption key file ${path}: ${(err as Error).message}`)
  }
  return key
}
