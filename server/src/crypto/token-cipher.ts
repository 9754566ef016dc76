import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

const VERSION = 1
const IV_BYTES = 12
const TAG_BYTES = 16

export class DecryptionError extends Error {
  constructor() {
    super('Stored secret cannot be decrypted with the current encryption key')
    this.name = 'DecryptionError'
  }
}

/**
 * AES-256-GCM for secrets at rest (account tokens, TOTP secret). Output: base64 of
 * `version | iv | tag | ciphertext`; the tag authenticates, so a wrong key fails loudly.
 */
export class TokenCipher {
  readonly #key: Buffer

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('encryption key must be 32 bytes')
    this.#key = key
  }

  /**
   * A 32-byte key for another purpose (e.g. the dashboard session cookie), derived with HKDF-SHA256 so
   * the at-rest key bytes are never used for anything else and one purpose's key says nothing of another's.
   */
  deriveKey(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.#key, 'codex-lb', purpose, 32))
  }

  encrypt(plain: string): string {
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv)
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), ct]).toString('base64')
  }

  decrypt(encoded: string): string {
    const raw = Buffer.from(encoded, 'base64')
    if (raw.length < 1 + IV_BYTES + TAG_BYTES || raw[0] !== VERSION) throw new DecryptionError()
    const iv = raw.subarray(1, 1 + IV_BYTES)
    const tag = raw.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES)
    const ct = raw.subarray(1 + IV_BYTES + TAG_BYTES)
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, iv)
      decipher.setAuthTag(tag)
      return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8')
    } catch {
      throw new DecryptionError()
    }
  }
}
