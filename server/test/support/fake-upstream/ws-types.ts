import type { FakeAccount, ResponseBehaviour, StreamOptions } from './types.js'

type Json = Record<string, unknown>

/** WebSocket-only additions to the streaming behaviours. */
export interface WsExtras {
  /**
   * Body of a `codex.rate_limits` event sent before `response.created` (the order Codex's own
   * fixture uses; reference websocket.md §3), e.g. `{plan_type, rate_limits:{primary:{…}}}`.
   */
  rateLimits?: Json
  /** The response id instead of a random `resp_…`. */
  responseId?: string
}

/**
 * One answer to a `response.create`. Every HTTP `ResponseBehaviour` works and means the same thing
 * over the socket: `http-error` becomes a wrapped error frame with its status, body `error` and
 * headers; `drop-mid-stream` cuts the TCP socket (no close frame); `stall` without `ms` waits until
 * `fake.ws.release()` or the socket closes, then sends the rest; `raw` chunks are sent as frames
 * (strings as text, bytes as binary).
 */
export type WsTurnBehaviour =
  | (ResponseBehaviour & WsExtras)
  /** `{"type":"error","status",…}`; `status: null` leaves it out (the CLI then waits forever). */
  | {
      kind: 'ws-error'
      status: number | null
      error: Json
      headers?: Record<string, string>
      /** Close the socket with this code after the frame. */
      closeCode?: number
    }
  /** The normal answer's first `afterEvents` events, then a close frame (default 1011). */
  | ({
      kind: 'ws-close'
      afterEvents: number
      code?: number
      reason?: string
    } & StreamOptions &
      WsExtras)
  /** Exact frames: objects as JSON text, strings as text, bytes as binary. */
  | { kind: 'ws-frames'; frames: Array<Json | string | Uint8Array>; eventDelayMs?: number }

/** How the fake answers one upgrade request (after the token check). */
export type WsUpgradeBehaviour =
  /** 101. `deflate: false` declines permessage-deflate even when offered (default: accepted). */
  | { kind: 'accept'; deflate?: boolean; headers?: Record<string, string> }
  /** A plain HTTP answer instead of 101, e.g. 426 (the CLI falls back to HTTP SSE) or 404. */
  | { kind: 'refuse'; status: number; body?: unknown; headers?: Record<string, string> }

export interface WsClose {
  code: number
  reason: string
  /** Who started the close: `server` = the fake (scripted close, drop, limit, `closeConnection`). */
  by: 'client' | 'server'
}

/** One upgrade request, accepted or not. */
export interface WsConnectionRecord {
  /** 1-based, in arrival order; turns name their connection by it. */
  id: number
  path: string
  /** Lower-cased request header names (`openai-beta`, `sec-websocket-extensions`, `session_id`…). */
  headers: Record<string, string>
  /** The account the bearer token resolved to. */
  account: FakeAccount | undefined
  /** 101 when accepted, else the status the upgrade was refused with. */
  status: number
  /** `Sec-WebSocket-Extensions` agreed in the 101 ('' = none, e.g. no permessage-deflate). */
  negotiatedExtensions: string
  /** Client frames that are not `response.create`: parsed JSON, else the text, else the bytes. */
  otherMessages: unknown[]
  openedAt: number
  closed: WsClose | undefined
}

export type WsTurnOutcome =
  /** Still streaming (or stalled), or it ended without a terminal event. */
  | 'open'
  | 'completed'
  | 'failed'
  | 'incomplete'
  /** A wrapped error frame answered it (see `status` and `errorCode`). */
  | 'error'
  /** The socket closed before a terminal event. */
  | 'closed'

/** One `response.create` the fake received. */
export interface WsTurnRecord {
  connectionId: number
  /** 1-based position among this connection's turns. */
  index: number
  account: FakeAccount
  /** The parsed frame. */
  body: Json
  previousResponseId: string | undefined
  /** It carried `previous_response_id` (new items only); false = a full create. */
  incremental: boolean
  /** Length of this frame's `input`. */
  inputItems: number
  /** Input items of the whole conversation once the anchor's history is added (0 if refused). */
  conversationItems: number
  /** Payload size of the frame in bytes (after any permessage-deflate is undone). */
  bytes: number
  /** `generate: false` prewarm (answered created + completed, no script consumed). */
  prewarm: boolean
  responseId: string | undefined
  outcome: WsTurnOutcome
  /** Status of the error frame, when `outcome` is `error`. */
  status: number | undefined
  /** `error.code` of the error frame or of `response.failed`. */
  errorCode: string | undefined
}
