import { defaultErrorBody } from './behaviours.js'
import type { HttpErrorBehaviour } from './types.js'
import type { WsTurnBehaviour } from './ws-types.js'

type Json = Record<string, unknown>
type WsError = Extract<WsTurnBehaviour, { kind: 'ws-error' }>

/** The wrapped error frame the backend sends instead of an HTTP error (reference websocket.md §3). */
export function errorFrame(status: number | null, error: Json, headers?: Record<string, string>) {
  return {
    type: 'error',
    ...(status === null ? {} : { status }),
    error,
    ...(headers ? { headers } : {}),
  }
}

/** An `http-error` behaviour as the socket sends it: the body's `error` object and the headers. */
export function httpErrorFrame(behaviour: HttpErrorBehaviour) {
  const body = (behaviour.body ?? defaultErrorBody(behaviour.status)) as Json | undefined
  const error =
    typeof body?.error === 'object' && body.error !== null ? (body.error as Json) : (body ?? {})
  return errorFrame(behaviour.status, error, behaviour.headers)
}

/** Status 400 `previous_response_not_found`, the shape codex-lb's users reported (§5). */
export function previousResponseNotFound(id: string): WsError {
  return {
    kind: 'ws-error',
    status: 400,
    error: {
      type: 'invalid_request_error',
      code: 'previous_response_not_found',
      message: `Previous response with id '${id}' not found.`,
      param: 'previous_response_id',
    },
  }
}

/** The 60-minute cap: an error frame, then the fake closes the socket (code 1000 by default). */
export function connectionLimitReached(
  opts: { status?: number; closeCode?: number } = {},
): WsError {
  return {
    kind: 'ws-error',
    status: opts.status ?? 400,
    error: {
      type: 'invalid_request_error',
      code: 'websocket_connection_limit_reached',
      message: 'WebSocket connection limit reached (60 minutes). Please reconnect.',
    },
    closeCode: opts.closeCode ?? 1000,
  }
}

/** A second `response.create` while one is streaming: the backend runs one at a time. */
export function responseInProgress(): WsError {
  return {
    kind: 'ws-error',
    status: 400,
    error: {
      type: 'invalid_request_error',
      code: 'response_already_in_progress',
      message: 'A response is already in progress on this connection.',
    },
  }
}

export function invalidMessage(message: string): WsError {
  return {
    kind: 'ws-error',
    status: 400,
    error: { type: 'invalid_request_error', code: 'invalid_message', message },
  }
}

/** A `codex.rate_limits` body (reference websocket.md §3), for the `rateLimits` option. */
export function rateLimitsEvent(
  opts: {
    planType?: string
    primaryUsedPercent?: number
    secondaryUsedPercent?: number
    resetAt?: number
  } = {},
): Json {
  const resetAt = opts.resetAt ?? Math.floor(Date.now() / 1000) + 3600
  const window = (used: number, minutes: number) => ({
    used_percent: used,
    window_minutes: minutes,
    reset_at: resetAt,
  })
  return {
    plan_type: opts.planType ?? 'plus',
    rate_limits: {
      primary: window(opts.primaryUsedPercent ?? 12, 300),
      secondary: window(opts.secondaryUsedPercent ?? 3, 10080),
    },
    credits: { has_credits: false, unlimited: false, balance: null },
  }
}

/** What a `generate:false` prewarm gets: created and completed, no output, no tokens. */
export function prewarmEvents(responseId: string, model: string): Json[] {
  const response = (status: string) => ({
    id: responseId,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status,
    model,
    output: [],
    usage:
      status === 'completed'
        ? {
            input_tokens: 0,
            input_tokens_details: { cached_tokens: 0 },
            output_tokens: 0,
            output_tokens_details: { reasoning_tokens: 0 },
            total_tokens: 0,
          }
        : null,
  })
  return [
    { type: 'response.created', response: response('in_progress'), sequence_number: 0 },
    { type: 'response.completed', response: response('completed'), sequence_number: 1 },
  ]
}
