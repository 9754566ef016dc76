import type { FastifyInstance, FastifyServerOptions } from 'fastify'
import pinoPretty from 'pino-pretty'
import type { Config } from '../config/index.js'

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

export type LogFormat = 'pretty' | 'json'

/** `auto` is for people at a terminal: readable lines there, JSON for log collectors otherwise. */
export function resolveLogFormat(setting: Config['logFormat'], stdoutIsTty: boolean): LogFormat {
  if (setting === 'auto') return stdoutIsTty ? 'pretty' : 'json'
  return setting
}

/**
 * Pino options; `stream` replaces stdout (tests that read what was logged, always JSON). Pretty
 * lines are written synchronously so none is lost when shutdown ends in process.exit().
 */
export function loggerOptions(
  level: string,
  format: LogFormat,
  stream?: { write(line: string): void },
): NonNullable<FastifyServerOptions['logger']> {
  const destination =
    stream ??
    (format === 'pretty'
      ? pinoPretty({
          sync: true,
          singleLine: true,
          translateTime: 'SYS:HH:MM:ss',
          ignore: 'pid,hostname,reqId',
        })
      : undefined)
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    ...(destination ? { stream: destination } : {}),
  }
}

/**
 * The level a failed request is logged at: only the server's own failures (500) are errors.
 * Upstream trouble and expected refusals (502/503/504, e.g. 503 `no_accounts`) are warnings, and
 * client errors (4xx) are information; every request is in the request-log table anyway.
 */
export function errorLogLevel(status: number): 'error' | 'warn' | 'info' {
  if (status === 500) return 'error'
  return status > 500 ? 'warn' : 'info'
}

/**
 * One debug line per request once its response ends (streams included), replacing Fastify's two
 * info lines. The query string stays out: OAuth callbacks carry codes there.
 */
export function installRequestLog(app: FastifyInstance, level: string): void {
  if (level !== 'debug' && level !== 'trace') return
  app.addHook('onRequest', async (request, reply) => {
    reply.raw.once('close', () => {
      const path = request.url.split('?')[0]
      request.log.debug(
        { status: reply.raw.statusCode, ms: Math.round(reply.elapsedTime) },
        `${request.method} ${path}`,
      )
    })
  })
}
