import { createCipheriv, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { SESSION_COOKIE, SessionCodec, newSessionId } from './session-codec.js'

const KEY = randomBytes(32)
const NOW = 1_800_000_000_000
const claims = { exp: NOW / 1000 + 60, pw: true, tv: false, ep: 3, sid: newSessionId() }

/** Seals arbitrary JSON in the cookie format, to build tokens the codec itself would never mint. */
function sealRaw(payload: unknown, key = KEY): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(Buffer.from(SESSION_COOKIE))
  const ct = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()])
  return Buffer.concat([Buffer.from([1]), iv, cipher.getAuthTag(), ct]).toString('base64url')
}

describe('SessionCodec', () => {
  const codec = new SessionCodec(KEY)

  it('round-trips {exp, pw, tv, ep, sid} and hides them from the client', () => {
    const token = codec.seal(claims)
    expect(codec.open(token, NOW)).toEqual(claims)
    expect(Buffer.from(token, 'base64url').toString('latin1')).not.toContain('"pw"')
    expect(codec.seal(claims)).not.toBe(token)
  })

  it('refuses a token without pw (the pre-password format, seed 004 §4.3)', () => {
    expect(codec.open(sealRaw({ exp: claims.exp, tv: true, ep: 3 }), NOW)).toBeNull()
    expect(codec.open(sealRaw({ exp: claims.exp, pw: 'yes', tv: true, ep: 3 }), NOW)).toBeNull()
    expect(codec.open(sealRaw({ exp: claims.exp, pw: true, tv: true }), NOW)).toBeNull()
    expect(codec.open(sealRaw(claims), NOW)).toEqual(claims)
  })

  it('refuses a token without a session id (minted before logout could revoke it)', () => {
    const { sid: _sid, ...withoutSid } = claims
    expect(codec.open(sealRaw(withoutSid), NOW)).toBeNull()
    expect(codec.open(sealRaw({ ...claims, sid: 'short' }), NOW)).toBeNull()
    expect(codec.open(sealRaw({ ...claims, sid: 7 }), NOW)).toBeNull()
    expect(newSessionId()).not.toBe(newSessionId())
  })

  it('refuses expired, tampered, foreign-key and garbage tokens', () => {
    const token = codec.seal(claims)
    expect(codec.open(token, claims.exp * 1000)).toBeNull()
    expect(codec.open(token, claims.exp * 1000 - 1)).toEqual(claims)
    const raw = Buffer.from(token, 'base64url')
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1
    expect(codec.open(raw.toString('base64url'), NOW)).toBeNull()
    expect(new SessionCodec(randomBytes(32)).open(token, NOW)).toBeNull()
    expect(codec.open(sealRaw(claims, randomBytes(32)), NOW)).toBeNull()
    for (const junk of [undefined, '', 'abc', 'x'.repeat(200)])
      expect(codec.open(junk, NOW)).toBeNull()
  })
})
