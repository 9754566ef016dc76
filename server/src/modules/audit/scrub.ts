/**
 * Audit details are written for people to read months later, so they must never carry a secret:
 * keys that name secret material are dropped, values that look like credentials are masked, and the
 * whole object is bounded (depth, string length, array length, serialized size).
 */

/** Key names (lower-cased, `_`/`-` removed) that hold secrets, or codes that work like them. */
const SECRET_KEY =
  /(password|passwd|passphrase|secret|token|cookie|authorization|credential|privatekey|keymaterial|keyhash|rawkey)|(code|key)$/

/** Values that are credentials whatever their key says: API keys, JWTs, bearer headers. */
const SECRET_VALUE = /^(sk-|sess-|rt_|eyJ[\w-]{8,}\.)|^bearer\s/i

export const DETAILS_MAX_CHARS = 4096
const STRING_MAX_CHARS = 200
const ARRAY_MAX_ITEMS = 20
const MAX_DEPTH = 4
export const REDACTED = '[redacted]'

/** Whether a key names secret material (`apiKey`, `totp_code`, `refreshToken`, `password`…). */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key.toLowerCase().replace(/[_\-\s]/g, ''))
}

/** The details as they may be stored: secrets gone, bounded; undefined when nothing is left. */
export function scrubDetails(
  details: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  if (!details) return undefined
  const clean = scrubObject(details, 0)
  if (Object.keys(clean).length === 0) return undefined
  return capSize(clean)
}

function scrubValue(value: unknown, depth: number): unknown {
  if (value === null || typeof value === 'boolean') return value
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'string') {
    if (SECRET_VALUE.test(value.trim())) return REDACTED
    return value.length > STRING_MAX_CHARS ? `${value.slice(0, STRING_MAX_CHARS)}…` : value
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString()
  if (depth >= MAX_DEPTH) return undefined
  if (Array.isArray(value)) {
    return value
      .slice(0, ARRAY_MAX_ITEMS)
      .map((item) => scrubValue(item, depth + 1))
      .filter((item) => item !== undefined)
  }
  if (typeof value === 'object') return scrubObject(value as Record<string, unknown>, depth + 1)
  return undefined // functions, symbols, undefined
}

function scrubObject(object: Record<string, unknown>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(object)) {
    if (isSecretKey(key)) continue
    const clean = scrubValue(value, depth)
    if (clean !== undefined) out[key] = clean
  }
  return out
}

/** Drops the last keys until the JSON fits, and says so; one oversized key leaves only the marker. */
function capSize(details: Record<string, unknown>): Record<string, unknown> {
  if (JSON.stringify(details).length <= DETAILS_MAX_CHARS) return details
  const entries = Object.entries(details)
  while (entries.length > 0) {
    entries.pop()
    const trimmed = { ...Object.fromEntries(entries), truncated: true }
    if (JSON.stringify(trimmed).length <= DETAILS_MAX_CHARS) return trimmed
  }
  return { truncated: true }
}
