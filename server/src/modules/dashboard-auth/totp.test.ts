import { HOTP, Secret } from 'otpauth'
import { describe, expect, it } from 'vitest'
import {
  generateTotpSecret,
  matchTotpStep,
  normalizeTotpCode,
  normalizeTotpSecret,
  qrSvgDataUri,
  totpStepAt,
  totpUri,
} from './totp.js'

const NOW = 1_800_000_000_000 + 10_000
const codeFor = (secret: string, step: number) =>
  HOTP.generate({ secret: Secret.fromBase32(secret), counter: step, digits: 6, algorithm: 'SHA1' })

describe('TOTP', () => {
  const secret = generateTotpSecret()
  const step = totpStepAt(NOW)

  it('secrets are 32 base32 characters (160 bits)', () => {
    expect(secret).toMatch(/^[A-Z2-7]{32}$/)
    expect(generateTotpSecret()).not.toBe(secret)
  })

  it('accepts the current step and one on either side, nothing further', () => {
    for (const offset of [-1, 0, 1]) {
      expect(matchTotpStep(secret, codeFor(secret, step + offset), NOW, null)).toBe(step + offset)
    }
    for (const offset of [-2, 2]) {
      expect(matchTotpStep(secret, codeFor(secret, step + offset), NOW, null)).toBeNull()
    }
  })

  it('never accepts a step at or before the last used one (replay)', () => {
    const code = codeFor(secret, step)
    expect(matchTotpStep(secret, code, NOW, step - 1)).toBe(step)
    expect(matchTotpStep(secret, code, NOW, step)).toBeNull()
    expect(matchTotpStep(secret, codeFor(secret, step - 1), NOW, step - 1)).toBeNull()
  })

  it('normalises input: spaces in codes and secrets, lowercase secrets; rejects the rest', () => {
    expect(normalizeTotpCode(' 123 456 ')).toBe('123456')
    expect(normalizeTotpCode('12345')).toBeNull()
    expect(normalizeTotpCode('1234567')).toBeNull()
    expect(normalizeTotpSecret(secret.toLowerCase().replace(/(.{4})/g, '$1 '))).toBe(secret)
    expect(normalizeTotpSecret('NOT-BASE32!')).toBeNull()
    expect(normalizeTotpSecret('ABCDEFGH')).toBeNull()
  })

  it('builds an otpauth URI with issuer codex-lb and an SVG QR data URI', async () => {
    const uri = new URL(totpUri(secret))
    expect(uri.href.startsWith('otpauth://totp/codex-lb:dashboard')).toBe(true)
    expect(uri.searchParams.get('issuer')).toBe('codex-lb')
    expect(uri.searchParams.get('secret')).toBe(secret)
    expect(uri.searchParams.get('digits')).toBe('6')
    expect(uri.searchParams.get('period')).toBe('30')
    const qr = await qrSvgDataUri(uri.href)
    expect(qr.startsWith('data:image/svg+xml;base64,')).toBe(true)
    expect(Buffer.from(qr.split(',')[1] ?? '', 'base64').toString()).toMatch(/^<svg/)
  })
})
