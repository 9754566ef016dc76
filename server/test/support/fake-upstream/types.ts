import type { CodexAuthJson } from '../jwt.js'

/** An account the fake knows. Token fields are the ones issued at creation; see `fake.tokens()`. */
export interface FakeAccount {
  readonly chatgptAccountId: string
  readonly email: string
  readonly planType: string
  readonly accessToken: string
  readonly refreshToken: string
  readonly idToken: string
  readonly authJson: CodexAuthJson
}

/** An account object, or its chatgptAccountId, email, or any access/refresh token ever issued to it. */
export type AccountRef = FakeAccount | string

export interface AddAccountOptions {
  email?: string
  chatgptAccountId?: string
  planType?: string
  /** Lifetime of issued access/id tokens (JWT `exp`); the fake itself never expires them. */
  tokenTtlSeconds?: number
}

export interface WireUsage {
  input_tokens: number
  input_tokens_details: { cached_tokens: number }
  output_tokens: number
  output_tokens_details: { reasoning_tokens: number }
  total_tokens: number
}

/** How the SSE bytes go on the wire; shared by every streaming behaviour. */
export interface StreamOptions {
  /** Assistant text, streamed as word-sized deltas. Default "Hi from fake upstream!". */
  text?: string
  /** Explicit delta pieces (overrides splitting `text`). */
  deltas?: string[]
  usage?: WireUsage
  /** Echoed in the response object; default is the request body's `model`, else gpt-5.5. */
  model?: string
  /** Omit `event:` lines (clients dispatch on the JSON `type`). */
  dataOnly?: boolean
  lineEnding?: '\n' | '\r\n'
  /** Append `data: [DONE]` after the last event (Chat-style; the Responses upstream never does). */
  doneMarker?: boolean
  /** Write each event in pieces of this many bytes. */
  chunkSize?: number
  /** Split every event inside each `\r\n` and inside each multi-byte UTF-8 character. */
  awkward?: boolean
  /** Pause between pieces / events, so they reach the client as separate reads. Default 0. */
  chunkDelayMs?: number
  eventDelayMs?: number
  /** Extra response headers. */
  headers?: Record<string, string>
}

export interface ToolCall {
  name: string
  /** JSON text or a value to stringify; streamed as `function_call_arguments.delta` pieces. */
  arguments: string | Record<string, unknown>
  callId?: string
}

export interface HttpErrorBehaviour {
  kind: 'http-error'
  status: number
  /** Default: `{"error":{...}}` fitting the status (429 → rate_limit_exceeded). */
  body?: unknown
  headers?: Record<string, string>
}

/** One answer of `POST /backend-api/codex/responses`; scripts are queues whose last entry repeats. */
export type ResponseBehaviour =
  | ({ kind: 'ok' } & StreamOptions)
  /** `ok`, written 1 byte at a time unless `chunkSize`/`awkward` say otherwise. */
  | ({ kind: 'chunked' } & StreamOptions)
  | HttpErrorBehaviour
  /** 200 + SSE whose first event is a failure (`response.failed`, or an `error` event). */
  | ({
      kind: 'first-event-failed'
      code: string
      message?: string
      event?: 'response.failed' | 'error'
    } & StreamOptions)
  /** A `response.failed` terminal event after `afterEvents` normal events. */
  | ({ kind: 'failed'; code: string; message?: string; afterEvents?: number } & StreamOptions)
  | ({ kind: 'incomplete'; reason?: string } & StreamOptions)
  /** Sends `afterEvents` events, then destroys the socket (no clean end of the chunked body). */
  | ({ kind: 'drop-mid-stream'; afterEvents: number } & StreamOptions)
  /** Waits `ms` before the status line, then behaves like `ok`. */
  | ({ kind: 'slow-first-byte'; ms: number } & StreamOptions)
  /** Sends `afterEvents` (default 2) events, then goes silent for `ms` (forever if absent). */
  | ({ kind: 'stall'; ms?: number; afterEvents?: number } & StreamOptions)
  /** Everything except the terminal event, then a clean end of the body. */
  | ({ kind: 'no-terminal' } & StreamOptions)
  /** `function_call` output items; `interleave` streams parallel calls' argument deltas mixed. */
  | ({ kind: 'tool-calls'; calls: ToolCall[]; interleave?: boolean } & StreamOptions)
  /** Escape hatch: exact status, headers and body pieces. */
  | {
      kind: 'raw'
      status?: number
      headers?: Record<string, string>
      chunks: Array<string | Uint8Array>
      chunkDelayMs?: number
    }

/** One answer of `POST /backend-api/codex/responses/compact`. */
export type CompactBehaviour =
  | { kind: 'ok'; usage?: WireUsage; output?: unknown[] }
  | HttpErrorBehaviour
  | { kind: 'slow-first-byte'; ms: number }
  | { kind: 'invalid-json' }
  /** A JSON reply of about this many bytes, in 64 KB writes; stops when the reader goes away. */
  | { kind: 'huge'; bytes: number }

/** One answer of a `grant_type=refresh_token` request with the account's current refresh token. */
export type RefreshBehaviour =
  | { kind: 'ok' }
  /** `{"error":{"code","message"}}` with `status` (default 401), e.g. refresh_token_expired. */
  | { kind: 'error'; code: string; message?: string; status?: number }
  | HttpErrorBehaviour
  | { kind: 'slow'; ms: number }

export interface UsageWindowOptions {
  usedPercent: number
  /** Unix seconds; default now + resetAfterSeconds. */
  resetAt?: number
  resetAfterSeconds?: number
  limitWindowSeconds?: number
}

export interface UsageOptions {
  planType?: string
  primaryUsedPercent?: number
  secondaryUsedPercent?: number
  primary?: Partial<UsageWindowOptions> | null
  secondary?: Partial<UsageWindowOptions> | null
  credits?: { hasCredits: boolean; unlimited: boolean; balance: string | null } | null
}

/** A raw answer for a JSON endpoint (usage, models), e.g. `{ status: 403, body: {...} }`. */
export interface RawJson {
  status: number
  body: unknown
  headers?: Record<string, string>
}

/** How the code exchange of one registered authorization code answers. */
export interface AuthCodeOptions {
  /** Token fields left out of the 200 answer (an auth server bug the client must survive). */
  omitTokens?: Array<'access_token' | 'refresh_token' | 'id_token'>
}

export interface DeviceScript {
  /** The account that the user approves on the device page. */
  account: AccountRef
  /** Polls answered `authorization_pending` before the outcome. Default 1. */
  pendingPolls?: number
  /** Polls answered `slow_down` before the pending ones. Default 0. */
  slowDownPolls?: number
  /** HTTP status of pending answers (reference §3.3 treats 403/404 and coded 4xx as pending). */
  pendingStatus?: number
  /** What polls answer after the pending ones. Past `expiresInSeconds` every poll is `expired_token`. */
  outcome?: 'success' | 'expired' | 'denied'
  /** `interval` in the usercode answer, sent as a digit string like the real one. Default 0. */
  intervalSeconds?: number
  expiresInSeconds?: number
  /** `usercode` answers 404 (device login disabled). */
  unavailable?: boolean
}

export interface DeviceSession {
  deviceAuthId: string
  userCode: string
  polls: number
  /** Epoch ms after which polls answer `expired_token`. */
  expiresAt: number
  /** Set once the poll answered success. */
  authorizationCode: string | undefined
  codeVerifier: string | undefined
  script: DeviceScript
}

export interface RecordedRequest {
  method: string
  path: string
  query: Record<string, string>
  /** Lower-cased names; repeated headers joined by ", ". */
  headers: Record<string, string>
  /** The body after content-encoding was undone. */
  rawBody: Buffer
  /** Parsed JSON, or the form fields of a urlencoded body; undefined if neither. */
  body: unknown
  /** The account the bearer token or refresh token resolved to. */
  account: FakeAccount | undefined
  /** The client closed the connection before the response ended. */
  aborted: boolean
  /** Response status, once sent. */
  status: number | undefined
}
