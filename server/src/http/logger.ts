import type { FastifyServerOptions } from 'fastify'

/**
 * Paths pino must never print. Tokens, keys and cookies travel in these headers and fields; the
 * proxy never logs bodies, but the redaction makes an accidental `log.info({ headers })` safe too.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["chatgpt-account-id"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  '*.access_token',
  '*.refresh_token',
  '*.id_token',
  '*.accessToken',
  '*.refreshToken',
  '*.idToken',
  '*.password',
  '*.key',
]

/** Pino options; `stream` replaces stdout (tests that read what was logged). */
export function loggerOptions(
  level: string,
  stream?: { write(line: string): void },
): NonNullable<FastifyServerOptions['logger']> {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    ...(stream ? { stream } : {}),
  }
}
