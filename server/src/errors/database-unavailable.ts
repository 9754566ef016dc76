/**
 * Whether an error says the database is away or busy for now (PostgreSQL connection lost, refused
 * or shutting down; SQLite locked past its busy timeout), rather than a bug: such a request is worth
 * retrying, so it is answered 503 with Retry-After instead of 500.
 */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH'])
// SQLSTATE class 08 (connection exception), 57P01–57P03 (shutdown, cannot connect now), 53300.
const PG_STATE = /^(08\d{3}|57P0[1-3]|53300)$/
const PG_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client was closed and is not queryable',
  'Client has encountered a connection error',
]

export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e !== null && typeof e === 'object' && depth < 4; depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown }
    if (typeof code === 'string') {
      if (SOCKET_CODES.has(code) || PG_STATE.test(code)) return true
      if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return true
    }
    if (typeof message === 'string' && PG_MESSAGES.some((m) => message.startsWith(m))) return true
    e = (e as { cause?: unknown }).cause
  }
  return false
}
