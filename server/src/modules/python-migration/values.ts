/*
 * Readers for the original's stored values, tolerant of both drivers and of its history: naive-UTC
 * timestamps (with or without microseconds), 0/1 or true/false booleans, enum names in either
 * case, BLOB or text secrets, JSON kept in text columns.
 */

/** Epoch ms of a naive-UTC timestamp (`YYYY-MM-DD HH:MM:SS[.ffffff]`, a Date, or epoch seconds). */
export function epochMs(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.getTime()
  if (typeof value === 'number') return Number.isFinite(value) ? Math.round(value * 1000) : null
  const text = String(value).trim()
  return naiveUtcMs(text) ?? zonedMs(text)
}

const digit = (s: string, i: number): number => {
  const c = s.charCodeAt(i) - 48
  return c >= 0 && c <= 9 ? c : NaN
}
const decimal = (s: string, from: number, to: number): number => {
  let n = 0
  for (let i = from; i < to; i++) n = n * 10 + digit(s, i)
  return n
}

/**
 * The shape SQLAlchemy writes (`YYYY-MM-DD HH:MM:SS` and an optional fraction, nothing after),
 * read without a regex or Date.parse: millions of history rows go through here. Anything else
 * (a zone, a `T`, a bad digit) is left to zonedMs.
 */
function naiveUtcMs(t: string): number | null {
  if (t.length < 19 || t[4] !== '-' || t[7] !== '-' || t[10] !== ' ') return null
  if (t[13] !== ':' || t[16] !== ':') return null
  let ms = 0
  if (t.length > 19) {
    if (t[19] !== '.' || t.length === 20) return null
    for (let i = 20; i < t.length; i++) if (Number.isNaN(digit(t, i))) return null
    ms = decimal((t.slice(20) + '00').slice(0, 3), 0, 3)
  }
  const [y, mo, d] = [decimal(t, 0, 4), decimal(t, 5, 7), decimal(t, 8, 10)]
  const [h, mi, s] = [decimal(t, 11, 13), decimal(t, 14, 16), decimal(t, 17, 19)]
  if ([y, mo, d, h, mi, s].some(Number.isNaN)) return null
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null
  return Date.UTC(y, mo - 1, d, h, mi, s, ms)
}

function zonedMs(text: string): number | null {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}(?::?\d{2})?)?$/.exec(
    text,
  )
  if (!m) return null
  const fraction = m[3] ? m[3].slice(0, 4) : ''
  const zone = m[4] ? (m[4] === 'Z' ? 'Z' : normalizeZone(m[4])) : 'Z'
  const ms = Date.parse(`${m[1]}T${m[2]}${fraction}${zone}`)
  return Number.isNaN(ms) ? null : ms
}

function normalizeZone(zone: string): string {
  const digits = zone.replace(':', '')
  return `${digits.slice(0, 3)}:${digits.length > 3 ? digits.slice(3, 5) : '00'}`
}

/** Epoch ms of an integer epoch-seconds column (`reset_at` of accounts and usage_history). */
export function secondsToMs(value: unknown): number | null {
  const n = num(value)
  return n === null ? null : Math.round(n * 1000)
}

export function num(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null
  const n = typeof value === 'number' ? value : Number(value)
  return Number.isFinite(n) ? n : null
}

export function int(value: unknown): number | null {
  const n = num(value)
  return n === null ? null : Math.trunc(n)
}

export function flag(value: unknown): 0 | 1 {
  return value === true || value === 1 || value === '1' || value === 't' || value === 'true' ? 1 : 0
}

export function flagOrNull(value: unknown): 0 | 1 | null {
  return value === null || value === undefined ? null : flag(value)
}

export function text(value: unknown): string | null {
  if (value === null || value === undefined) return null
  if (Buffer.isBuffer(value)) return value.toString('utf8')
  return String(value)
}

/** Lowercased enum value (seed-era rows hold member names such as `ACTIVE`, `TOTAL_TOKENS`). */
export function enumValue(value: unknown): string | null {
  const t = text(value)
  return t === null ? null : t.trim().toLowerCase()
}

/**
 * A JSON array of strings from a text column (null when absent or empty). Lenient: a bare
 * comma-separated list is accepted too; anything else is `undefined` (unreadable).
 */
export function stringList(value: unknown): string[] | null | undefined {
  const t = text(value)?.trim()
  if (t === undefined || t === '' || t === 'null') return null
  if (t.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(t)
      if (Array.isArray(parsed) && parsed.every((v) => typeof v === 'string')) {
        return parsed.length === 0 ? null : parsed
      }
    } catch {
      return undefined
    }
    return undefined
  }
  const parts = t
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')
  return parts.length === 0 ? null : parts
}
