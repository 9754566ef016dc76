import { createCipheriv, createHmac, randomBytes } from 'node:crypto'

/*
 * Fernet as pyca/cryptography writes it (what the Python codex-lb stores), written independently of
 * the importer's reader: 0x80 ‖ timestamp (8, BE) ‖ IV (16) ‖ AES-128-CBC/PKCS7 ‖ HMAC-SHA256, in
 * base64url with padding; the key file is base64url of 32 bytes (signing key, then AES key).
 */

/** A key file's content as Fernet.generate_key() makes it: 44 characters, no newline. */
export function generateFernetKeyFile(): string {
  return randomBytes(32).toString('base64url') + '='
}

export function fernetEncrypt(keyFile: string, plain: string, timestamp = 1_760_000_000): string {
  const key = Buffer.from(keyFile.trim(), 'base64url')
  const iv = randomBytes(16)
  const cipher = createCipheriv('aes-128-cbc', key.subarray(16, 32), iv)
  const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  const time = Buffer.alloc(8)
  time.writeBigUInt64BE(BigInt(timestamp))
  const body = Buffer.concat([Buffer.from([0x80]), time, iv, ct])
  const mac = createHmac('sha256', key.subarray(0, 16)).update(body).digest()
  // Python's urlsafe_b64encode keeps the padding.
  const b64 = Buffer.concat([body, mac]).toString('base64')
  return b64.replace(/\+/g, '-').replace(/\//g, '_')
}
