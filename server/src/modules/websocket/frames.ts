import { AppError, BadRequestError, openAiEnvelope } from '../../errors/index.js'
import { isRecord } from '../../lib/json.js'

/** A client frame the transport can act on: the `response.create` body without its `type`. */
export interface CreateFrame {
  body: Record<string, unknown>
  /** `generate: false`: a prewarm that only opens the session (reference/websocket.md §1). */
  prewarm: boolean
}

/** Types a newer Codex sends that need no answer (`response.processed` acknowledges a response). */
const IGNORED_TYPES = new Set(['response.processed'])

/**
 * Reads one client frame. Returns undefined for messages that need no answer; throws an AppError
 * (sent back as an error frame) for anything malformed.
 */
export function parseClientFrame(data: Buffer, isBinary: boolean): CreateFrame | undefined {
  if (isBinary) throw new BadRequestError('Binary frames are not supported; send JSON text frames')
  let message: unknown
  try {
    message = JSON.parse(data.toString('utf8'))
  } catch {
    throw new BadRequestError('Frame is not valid JSON')
  }
  if (!isRecord(message)) throw new BadRequestError('Frame must be a JSON object')
  const type = message['type']
  if (typeof type === 'string' && IGNORED_TYPES.has(type)) return undefined
  if (type !== 'response.create') {
    throw new BadRequestError(
      `Unsupported message type ${JSON.stringify(type ?? null)}; expected "response.create"`,
      'invalid_request_error',
      'type',
    )
  }
  const { type: _type, generate, ...body } = message
  // Older clients wrapped the request in `response`; the flat form is the current wire.
  const inner = isRecord(body['response']) && body['model'] === undefined ? body['response'] : body
  return { body: inner, prewarm: generate === false }
}

/**
 * The wrapped error frame the Codex CLI maps like an HTTP error of `status`
 * (reference/websocket.md §3): a frame without `status` would leave it waiting for its idle timeout.
 */
export function errorFrame(err: AppError, headers: Record<string, string> = {}): string {
  return JSON.stringify({
    type: 'error',
    status: err.status,
    error: openAiEnvelope(err).error,
    headers: { ...err.headers, ...headers },
  })
}

/** A `response.failed` frame: the in-band failure once a turn has begun, in the upstream's format. */
export function failedFrame(responseId: string, code: string, message: string, now: number) {
  return JSON.stringify({
    type: 'response.failed',
    response: {
      id: responseId,
      object: 'response',
      created_at: Math.floor(now / 1000),
      status: 'failed',
      error: { code, message, type: 'server_error' },
      incomplete_details: null,
    },
  })
}

/**
 * Application heartbeat while a turn waits for its first upstream event: the CLI's idle timer
 * ignores pings, so only a frame keeps it alive, and an unknown type is skipped by the CLI.
 */
export function keepaliveFrame(requestId: string): string {
  return JSON.stringify({
    type: 'codex.keepalive',
    request_id: requestId,
    status: 'pending_response_created',
  })
}

/** Heartbeat once the response exists: an event type the CLI knows and skips. */
export function inProgressFrame(responseId: string): string {
  return JSON.stringify({
    type: 'response.in_progress',
    response: { id: responseId, status: 'in_progress' },
  })
}

/** A frame larger than the cap: 400, because a 413 makes the CLI give up on WebSockets. */
export function frameTooLarge(limit: number): AppError {
  return new AppError(`Message exceeds the ${limit}-byte limit for one frame`, {
    status: 400,
    code: 'payload_too_large',
  })
}
