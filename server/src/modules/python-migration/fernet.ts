import { createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto'
import { FernetError, PythonMigrationError } from './errors.js'

/*
 * The Python codex-lb encrypts secrets with Fernet (pyca/cryptography, no TTL):
 * token = base64url(0x80 ‖ timestamp (8, big-endian) ‖ IV (16) ‖ AES-128-CBC/PKCS7 ciphertext ‖
 * HMAC-SHA256(signing key, everything before it) (32)); the key file is base64url of 32 bytes,
 * signing key first, AES key second.
 */

const VERSION = 0x80
const HEADER_BYTES = 1 + 8 + 16
const MAC_BYTES = 32

export interface FernetKey {
  readonly signing: Buffer
  readonly encryption: Buffer
}

/** Reads a key file's text (surrounding whitespace ignored, as Python's decoder would). */
export function parseFernetKey(text: string, path: string): FernetKey {
  const trimmed = text.trim()
  const raw = /^[A-Za-z0-9_\-+/]+=*$/.test(trimmed) ? Buffer.from(trimmed, 'base64url') : null
  if (!raw || raw.length !== 32) {
    throw new PythonMigrationError(
      `${path} is not a Fernet key (expected 44 characters of base64url for 32 bytes): ` +
        'pass the encryption.key of the Python codex-lb with --key-file',
    )
  }
  return { signing: raw.subarray(0, 16), encryption: raw.subarray(16, 32) }
}

/** The plaintext of a token (BLOB bytes or text); FernetError when it does not verify. */
export function fernetDecrypt(key: FernetKey, token: Buffer | string): string {
  const text = (typeof token === 'string' ? token : token.toString('utf8')).trim()
  if (!/^[A-Za-z0-9_\-+/]+=*$/.test(text)) throw new FernetError('not a Fernet token')
  const raw = Buffer.from(text, 'base64url')
  if (raw.length < HEADER_BYTES + 16 + MAC_BYTES || raw[0] !== VERSION) {
    throw new FernetError('not a Fernet token')
  }
  const body = raw.subarray(0, raw.length - MAC_BYTES)
  const mac = raw.subarray(raw.length - MAC_BYTES)
  const expected = createHmac('sha256', key.signing).update(body).digest()
  // The HMAC is checked before anything is decrypted: a wrong key or a changed byte stops here.
  if (!timingSafeEqual(mac, expected)) {
    throw new FernetError('does not verify with this key (wrong key file, or a corrupt value)')
  }
  const iv = raw.subarray(9, HEADER_BYTES)
  const ciphertext = raw.subarray(HEADER_BYTES, raw.length - MAC_BYTES)
  if (ciphertext.length % 16 !== 0) throw new FernetError('corrupt ciphertext length')
  try {
    const decipher = createDecipheriv('aes-128-cbc', key.encryption, iv)
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8')
  } catch {
    throw new FernetError('bad padding after decryption')
  }
}
