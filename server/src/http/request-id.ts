import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

const MAX_ID_LENGTH = 200

/** Echo the client's `x-request-id` / `request-id` (when sane), else a fresh UUID. */
export function requestIdFor(req: IncomingMessage): string {
  for (const name of ['x-request-id', 'request-id']) {
    const value = req.headers[name]
    const id = Array.isArray(value) ? value[0] : value
    if (id && id.length <= MAX_ID_LENGTH && /^[\x21-\x7e]+$/.test(id)) return id
  }
  return randomUUID()
}
