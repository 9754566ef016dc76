import { randomBytes } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import type { WebSocket } from 'ws'
import { AppError, toAppError } from '../../errors/index.js'
import { sendText } from './client-send.js'
import { errorFrame, frameTooLarge, parseClientFrame } from './frames.js'
import { runTurn, type TurnContext, type TurnDeps, type UpstreamTransport } from './turn.js'
import type { UpstreamLink } from './upstream-link.js'

export interface SessionDeps extends TurnDeps {
  maxFrameBytes: number
  idleTimeoutMs: number
  /** Pooled `x-codex-*` usage headers, sent with a 429 so the CLI shows its usual message. */
  usageHeaders(): Promise<Record<string, string>>
  /** The backend WebSocket for a client socket; undefined when turns go over HTTP SSE. */
  linkFor(inbound: IncomingHttpHeaders): UpstreamLink | undefined
}

/** Close codes the CLI reconnects after (it ignores the code itself: reference/websocket.md §3). */
export const CLOSE_IDLE = 1001
export const CLOSE_RESTARTING = 1012

/**
 * One client socket: turns are served one at a time, in order; an idle socket is closed; on
 * shutdown the running turn finishes and the socket closes with 1012 so the CLI reconnects.
 */
export class ClientSession {
  readonly id = `ws_${randomBytes(12).toString('hex')}`
  readonly #abort = new AbortController()
  #turn: Promise<void> | undefined
  #idle: NodeJS.Timeout | undefined
  #draining = false
  readonly #upstream: UpstreamTransport

  constructor(
    private readonly socket: WebSocket,
    private readonly context: Omit<TurnContext, 'socket' | 'sessionId' | 'signal' | 'upstream'>,
    private readonly deps: SessionDeps,
    private readonly onClosed: (session: ClientSession) => void,
  ) {
    const upstream: UpstreamTransport = {
      link: deps.linkFor(context.inbound),
      fallBackToHttp() {
        upstream.link?.close()
        upstream.link = undefined
      },
    }
    this.#upstream = upstream
    socket.on('message', (data, isBinary) => this.#onMessage(data as Buffer, isBinary))
    socket.once('close', () => {
      this.#abort.abort()
      upstream.link?.close()
      clearTimeout(this.#idle)
      deps.conversations.dropOwner(this.id)
      onClosed(this)
    })
    this.#armIdle()
  }

  /** The running turn, if any: shutdown waits for it. */
  get pending(): Promise<void> | undefined {
    return this.#turn
  }

  /** Stops taking turns; closes now when idle, else after the running turn. */
  drain(): void {
    this.#draining = true
    if (!this.#turn) this.close(CLOSE_RESTARTING, 'server restarting')
  }

  close(code: number, reason: string): void {
    clearTimeout(this.#idle)
    if (this.socket.readyState === this.socket.OPEN) this.socket.close(code, reason)
  }

  #onMessage(data: Buffer, isBinary: boolean): void {
    let frame
    try {
      if (data.length > this.deps.maxFrameBytes) throw frameTooLarge(this.deps.maxFrameBytes)
      frame = parseClientFrame(data, isBinary)
    } catch (err) {
      void this.#sendError(err)
      return
    }
    if (!frame) return
    if (this.#turn) {
      void this.#sendError(
        new AppError('A response is already in progress on this connection; wait for it to end', {
          status: 409,
          code: 'response_in_progress',
        }),
      )
      return
    }
    if (this.#draining) {
      void this.#sendError(
        new AppError('Server is restarting; reconnect to continue', {
          status: 503,
          code: 'server_shutting_down',
        }),
      )
      return
    }
    clearTimeout(this.#idle)
    const context = { ...this.context, socket: this.socket, sessionId: this.id }
    const signal = this.#abort.signal
    this.#turn = runTurn(frame, { ...context, signal, upstream: this.#upstream }, this.deps)
      .catch((err: unknown) => this.#sendError(err))
      .finally(() => {
        this.#turn = undefined
        if (this.#draining) this.close(CLOSE_RESTARTING, 'server restarting')
        else this.#armIdle()
      })
  }

  async #sendError(err: unknown): Promise<void> {
    const appError = toAppError(err, 400)
    if (appError.status >= 500 && !(err instanceof AppError)) {
      this.context.log.error({ err }, 'websocket turn failed')
    }
    const headers = appError.status === 429 ? await this.deps.usageHeaders().catch(() => ({})) : {}
    if (this.socket.readyState === this.socket.OPEN)
      sendText(this.socket, errorFrame(appError, headers))
  }

  #armIdle(): void {
    clearTimeout(this.#idle)
    this.#idle = setTimeout(
      () => this.close(CLOSE_IDLE, 'idle timeout'),
      this.deps.idleTimeoutMs,
    ).unref()
  }
}
