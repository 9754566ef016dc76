/*
 * What is kept of an upstream's error body in the request log: secrets removed, then capped. The
 * body is shown to anyone with a dashboard session, and upstreams (and proxies in front of them)
 * echo what they were sent: the Authorization header, a masked or whole key, a cookie.
 */

/** Stored bodies stop here (UTF-8 bytes, the truncation mark included). */
export const ERROR_BODY_MAX_BYTES = 4096
/** Work on at most this much input: redaction is linear, but a 64 KB page is not worth reading. */
const INPUT_MAX_CHARS = 16_384
const TRUNCATED = '…[truncated]'

const MASK = '[redacted]'

/** JSON members whose value is a secret, whatever it holds (`"code"` is an error code: kept). */
const SECRET_NAMES =
  '(?:(?:access|refresh|id|session)_?token|token|api_?key|(?:client_)?secret|password|authorization|(?:set-)?cookie|credentials?)'
/** `"name": "value"` in JSON. */
const SECRET_MEMBERS = new RegExp(`("${SECRET_NAMES}")(\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi')
/** The same inside a JSON string (a message quoting a body): `\"name\": \"value\"`. */
const ESCAPED_MEMBERS = new RegExp(
  `(\\\\"${SECRET_NAMES}\\\\")(\\s*:\\s*)\\\\"(?:[^"\\\\]|\\\\[^"])*\\\\"`,
  'gi',
)
/** The same names in a query string or form body: `refresh_token=…&`. */
const SECRET_PARAMS =
  /\b((?:access|refresh|id|session)_token|api_key|client_secret|password)=[^&\s"',;]+/gi
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi
/** A JWT, or what is left of one cut short: `eyJ` is the base64url of `{"`. */
const JWT = /\beyJ[A-Za-z0-9_-]{6,}(?:\.[A-Za-z0-9_-]*){0,2}/g
/** OpenAI-style keys (`sk-…`, `sk-proj-…`, masked `sk-abc***xyz`) and codex-lb's `sk-clb-…`. */
const SK_KEY = /\bsk-[A-Za-z0-9_*-]{6,}/g
/** A Cookie or Set-Cookie header echoed as text: everything up to the end of the line or string. */
const COOKIE_HEADER = /\b((?:set-)?cookie)\s*:\s*[^\r\n"]+/gi
/** Session cookies that show up without their header (ChatGPT's and Cloudflare's). */
const COOKIE_PAIR =
  /\b(__Secure-[\w.-]+|__Host-[\w.-]+|_puid|_cfuvid|cf_clearance|__cf_bm)=[^;\s"]+/g

/** Removes tokens, keys, JWTs and cookies from `text`; everything else stays as it was. */
export function redactSecrets(text: string): string {
  return text
    .replace(SECRET_MEMBERS, `$1$2"${MASK}"`)
    .replace(ESCAPED_MEMBERS, `$1$2\\"${MASK}\\"`)
    .replace(SECRET_PARAMS, `$1=${MASK}`)
    .replace(COOKIE_HEADER, `$1: ${MASK}`)
    .replace(COOKIE_PAIR, `$1=${MASK}`)
    .replace(BEARER, `$1 ${MASK}`)
    .replace(JWT, MASK)
    .replace(SK_KEY, `sk-${MASK}`)
}

/** `text` cut to `maxBytes` of UTF-8 (never inside a character), with a mark when it was cut. */
export function capBytes(text: string, maxBytes = ERROR_BODY_MAX_BYTES): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text
  const room = maxBytes - Buffer.byteLength(TRUNCATED, 'utf8')
  const cut = Buffer.from(text, 'utf8').subarray(0, room).toString('utf8')
  // A character split by the cut decodes as U+FFFD: drop it rather than store a broken one.
  return cut.replace(/\uFFFD+$/, '') + TRUNCATED
}

/**
 * The stored form of an upstream error body: a JSON value serialized (a string as is), redacted by
 * `redactSecrets` and by `extra` (an overflow upstream's own key), capped at 4 KB. Null for nothing.
 */
export function errorBodyForLog(body: unknown, extra?: (text: string) => string): string | null {
  if (body === undefined || body === null) return null
  let text: string
  try {
    text = typeof body === 'string' ? body : JSON.stringify(body)
  } catch {
    return null
  }
  if (!text || text === '{}') return null
  let clean = redactSecrets(text.slice(0, INPUT_MAX_CHARS))
  if (extra) clean = extra(clean)
  return capBytes(clean)
}
