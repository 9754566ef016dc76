import type { IncomingHttpHeaders } from 'node:http'
import type { FastifyBaseLogger } from 'fastify'
import type { Clock } from '../../lib/clock.js'
import { describeFailure, kindForCode, type UpstreamFailure } from '../../upstream/failure.js'
import { upstreamHeaders, type UpstreamCredential } from '../../upstream/headers.js'
import {
  UpgradeRefusedError,
  UpstreamSocket,
  UpstreamSocketClosedError,
} from '../../upstream/ws-connection.js'
import type { AttemptRecorder } from '../proxy/attempt-recorder.js'
import { ClientClosedError } from '../proxy/index.js'
import { StreamObserver } from '../proxy/stream-observer.js'

export interface UpstreamLinkOptions {
  /** `{UPSTREAM}/codex/responses` as ws(s)://. */
  url: string
  connectTimeoutMs: number
  idleTimeoutMs: number
  log: FastifyBaseLogger
  clock: Clock
}

/** What one attempt sends: the full request, and the incremental form when the socket allows. */
export interface TurnPayload {
  /** The full request for this account (without items only another account can read). */
  full: Record<string, unknown>
  /** The response the client continued from, and the items it added after it. */
  incremental: { anchor: string; items: unknown[] } | undefined
}

/** A turn whose first event came back well: the relay now owns the socket for the rest. */
export interface OpenedTurn {
  socket: UpstreamSocket
  /** Frames read while deciding, relayed first. */
  head: string[]
  observer: StreamObserver
  attempt: AttemptRecorder
  /** The upstream got the incremental form (for tests and the bench). */
  incremental: boolean
}

export type SocketAttempt =
  | { kind: 'opened'; value: OpenedTurn }
  | { kind: 'failed'; failure: UpstreamFailure }
  /** The backend does not speak WebSocket here (426/404): serve this session over HTTP SSE. */
  | { kind: 'refused' }

/** Upgrade refusals that mean "no WebSocket here", not "this account is in trouble". */
const NO_WEBSOCKET = new Set([404, 405, 426, 501])

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return { error: { message: text.trim().slice(0, 500) || undefined } }
  }
}

/**
 * The upstream side of one client socket: at most one backend socket, for the account that served
 * the last turn. A turn for another account closes it and opens one for that account.
 */
export class UpstreamLink {
  #socket: UpstreamSocket | undefined
  #accountId: string | undefined

  constructor(
    private readonly options: UpstreamLinkOptions,
    private readonly inbound: IncomingHttpHeaders,
  ) {}

  close(): void {
    this.#socket?.close()
    this.#socket = undefined
  }

  /**
   * Sends the turn and reads up to its first real event (rate-limit events pass by). An incremental
   * turn whose anchor the backend lost, or a socket at its 60-minute limit, is sent again in full on
   * a fresh socket before anything reaches the client.
   */
  async attempt(
    accountId: string,
    credential: UpstreamCredential,
    payload: TurnPayload,
    attempt: AttemptRecorder,
    requestId: string,
    signal: AbortSignal,
    onRateLimits: (event: Record<string, unknown>) => void,
  ): Promise<SocketAttempt> {
    const now = () => this.options.clock.now()
    /** `upstreamBody`: what the upstream said, for the request log (absent for our own verdicts). */
    const failed = (failure: UpstreamFailure, upstreamBody?: unknown): SocketAttempt => {
      attempt.fail(failure.code, failure.message, upstreamBody)
      return { kind: 'failed', failure }
    }
    let incremental = false
    let retried = false
    let socket: UpstreamSocket
    try {
      socket = await this.#socketFor(accountId, credential, requestId, signal)
      incremental = this.#send(socket, payload, true)
    } catch (err) {
      if (signal.aborted) throw this.#clientGone(attempt)
      if (err instanceof UpgradeRefusedError) {
        attempt.status(err.status)
        if (NO_WEBSOCKET.has(err.status)) return { kind: 'refused' }
        return failed(
          describeFailure(err.status, parseJson(err.body), err.headers, now()),
          err.body,
        )
      }
      return failed(this.#networkFailure(err))
    }
    attempt.status(101)
    const observer = new StreamObserver()
    const head: string[] = []
    for (;;) {
      let frame: string
      try {
        frame = await socket.next(this.options.idleTimeoutMs)
      } catch (err) {
        if (signal.aborted) throw this.#clientGone(attempt)
        this.close()
        return failed(this.#networkFailure(err))
      }
      attempt.firstByte()
      const payloadOf = observer.observe({ data: frame, size: frame.length })
      const type = payloadOf?.['type']
      if (type === 'error') {
        const status = Number(payloadOf?.['status'] ?? payloadOf?.['status_code']) || 502
        const headers = (payloadOf?.['headers'] ?? {}) as Record<string, string>
        const failure = describeFailure(status, payloadOf, headers, now())
        const stale = failure.code === 'previous_response_not_found' && incremental
        const aged = failure.code === 'websocket_connection_limit_reached'
        if ((stale || aged) && !retried) {
          retried = true
          if (aged) this.close()
          try {
            socket = await this.#socketFor(accountId, credential, requestId, signal)
            incremental = this.#send(socket, payload, false)
          } catch (err) {
            return failed(this.#networkFailure(err))
          }
          observer.error = undefined
          continue
        }
        return failed(failure, frame)
      }
      head.push(frame)
      if (type === 'codex.rate_limits' && payloadOf) {
        onRateLimits(payloadOf)
        continue
      }
      if (typeof type === 'string' && type.startsWith('codex.')) continue
      const firstFailure = observer.terminal === 'response.incomplete' ? undefined : observer.error
      if (firstFailure && kindForCode(firstFailure.code, 200) !== 'client') {
        const raw = firstFailure.raw ?? { code: firstFailure.code, message: firstFailure.message }
        return failed(describeFailure(200, { error: raw }, {}, now()), firstFailure.raw)
      }
      return { kind: 'opened', value: { socket, head, observer, attempt, incremental } }
    }
  }

  async #socketFor(
    accountId: string,
    credential: UpstreamCredential,
    requestId: string,
    signal: AbortSignal,
  ): Promise<UpstreamSocket> {
    if (this.#socket?.open && this.#accountId === accountId) return this.#socket
    this.close()
    const headers = upstreamHeaders(this.inbound, credential, requestId, 'text/event-stream')
    delete headers['accept']
    delete headers['content-type']
    headers['openai-beta'] ??= 'responses_websockets=2026-02-06'
    this.#socket = await UpstreamSocket.connect({
      url: this.options.url,
      headers,
      connectTimeoutMs: this.options.connectTimeoutMs,
      signal,
    })
    this.#accountId = accountId
    return this.#socket
  }

  /** Sends the incremental form when allowed and the socket holds the anchor; says which it sent. */
  #send(socket: UpstreamSocket, payload: TurnPayload, allowIncremental: boolean): boolean {
    const inc = payload.incremental
    const useIncremental = allowIncremental && inc !== undefined && socket.anchor === inc.anchor
    const body = useIncremental
      ? { ...payload.full, previous_response_id: inc.anchor, input: inc.items }
      : payload.full
    socket.anchor = undefined
    socket.send(JSON.stringify({ type: 'response.create', ...body }))
    return useIncremental
  }

  #networkFailure(err: unknown): UpstreamFailure {
    const timeout =
      (err instanceof UpstreamSocketClosedError && err.code === 'idle_timeout') ||
      /timed? ?out/i.test((err as Error).message ?? '')
    const code = timeout ? 'upstream_timeout' : 'upstream_unavailable'
    const failure = describeFailure(0, { error: { code } }, {}, this.options.clock.now())
    this.options.log.warn({ code, detail: (err as Error).message }, 'upstream websocket failed')
    return { ...failure, message: 'Upstream unavailable' }
  }

  #clientGone(attempt: AttemptRecorder): ClientClosedError {
    this.close()
    attempt.fail('client_closed', 'Client closed the connection')
    return new ClientClosedError()
  }
}
