import { timingSafeEqual } from 'node:crypto'
import { HOTP, Secret, TOTP } from 'otpauth'
import QRCode from 'qrcode'

export const TOTP_ISSUER = 'codex-lb'
export const TOTP_LABEL = 'dashboard'
export const TOTP_PERIOD_SECONDS = 30
export const TOTP_DIGITS = 6
/** Steps accepted on either side of now, for clock drift between server and phone. */
export const TOTP_WINDOW = 1
/** RFC 4226 §4 R6: a shared secret of at least 128 bits. Ours are 160 (32 base32 characters). */
const MIN_SECRET_BYTES = 16

/** A fresh 160-bit secret in base32 (32 characters A–Z2–7). */
export function generateTotpSecret(): string {
  return new Secret({ size: 20 }).base32
}

/** The secret a client sent back, without spaces and uppercased; null when it is not usable base32. */
export function normalizeTotpSecret(input: string): string | null {
  const secret = input.replace(/\s+/g, '').replace(/=+$/, '').toUpperCase()
  if (!/^[A-Z2-7]+$/.test(secret)) return null
  try {
    return Secret.fromBase32(secret).bytes.length >= MIN_SECRET_BYTES ? secret : null
  } catch {
    return null
  }
}

/** Digits only (authenticator apps show "123 456"); null unless exactly six remain. */
export function normalizeTotpCode(input: string): string | null {
  const code = input.replace(/\D/g, '')
  return code.length === TOTP_DIGITS ? code : null
}

export function totpUri(secret: string): string {
  return new TOTP({
    issuer: TOTP_ISSUER,
    label: TOTP_LABEL,
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(secret),
  }).toString()
}

export async function qrSvgDataUri(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: 'svg', margin: 2 })
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`
}

export function totpStepAt(nowMs: number): number {
  return Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS)
}

/**
 * The time step the code belongs to, among now ± TOTP_WINDOW and strictly after `afterStep` (steps
 * already used are never accepted again); null when none matches. Every candidate is compared, in
 * constant time, so the answer time does not say which step (if any) matched.
 */
export function matchTotpStep(
  secret: string,
  code: string,
  nowMs: number,
  afterStep: number | null,
): number | null {
  const key = Secret.fromBase32(secret)
  const given = Buffer.from(code)
  const current = totpStepAt(nowMs)
  let matched: number | null = null
  for (let step = current - TOTP_WINDOW; step <= current + TOTP_WINDOW; step += 1) {
    const expected = Buffer.from(
      HOTP.generate({ secret: key, algorithm: 'SHA1', digits: TOTP_DIGITS, counter: step }),
    )
    const equal = expected.length === given.length && timingSafeEqual(expected, given)
    if (equal && (afterStep === null || step > afterStep)) matched = step
  }
  return matched
}
