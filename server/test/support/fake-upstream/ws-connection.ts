import { randomBytes } from 'node:crypto'
import type { RawData, WebSocket } from 'ws'
import type { AccountState } from './accounts.js'
import { DEFAULT_MODEL } from './sse-events.js'
import type { HttpErrorBehaviour } from './types.js'
import {
  connectionLimitReached,
  invalidMessage,
  prewarmEvents,
  previousResponseNotFound,
  responseInProgress,
} from './ws-frames.js'
import { playTurn, type TurnIo } from './ws-turns.js'
import type { WsConnectionRecord, WsTurnBehaviour, WsTurnRecord } from './ws-types.js'

type Json = Record<string, unknown>

export interface ConnectionDeps {
  record: WsConnectionRecord
  state: AccountState
  socket: WebSocket
  /** The scripted answer for the next generating turn of this account. */
  nextBehaviour(): WsTurnBehaviour
  /** Set while the test has made this account's answers a 429 usage limit. */
  limit(): HttpErrorBehaviour | undefined
  connectionLimitMs(): number
  released(): Promise<void>
  logTurn(turn: WsTurnRecord): void
  /** Counts a running turn in the fake's concurrency log; the result counts it out. */
  enter(): () => void
  /** Something a waiter may be watching changed. */
  changed(): void
}

function asText(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data)
}

function parseObject(text: string): Json | undefined {
  try {
    const value = JSON.parse(text) as unknown
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Json)
      : undefined
  } catch {
    return undefined
  }
}

function inputLength(input: unknown): number {
  if (Array.isArray(input)) return input.length
  return typeof input === 'string' ? 1 : 0
}

/**
 * One accepted socket. Like the real backend with `store:false`, the only response a
 * `previous_response_id` may name is the last one completed on this very connection; an error or
 * failure evicts it (reference websocket.md §5; the public guide's connection-local cache).
 */
export class WsConnection {
  private anchor: { id: string; items: number } | undefined
  private current: WsTurnRecord | undefined
  private turnCount = 0
  private serverClosing = false
  private readonly closedController = new AbortController()

  constructor(private readonly d: ConnectionDeps) {
    d.socket.on('message', (data, isBinary) => void this.onMessage(asText(data), isBinary))
    d.socket.on('error', () => undefined)
    d.socket.on('close', (code, reason) => {
      d.record.closed = {
        code,
        reason: reason.toString(),
        by: this.serverClosing ? 'server' : 'client',
      }
      if (this.current?.outcome === 'open') this.current.outcome = 'closed'
      this.closedController.abort()
      d.changed()
    })
  }

  close(code: number, reason: string): void {
    this.serverClosing = true
    this.d.socket.close(code, reason)
  }

  drop(): void {
    this.serverClosing = true
    this.d.socket.terminate()
  }

  private io(turn: WsTurnRecord | undefined, keepAnchor = false): TurnIo {
    return {
      socket: this.d.socket,
      signal: this.closedController.signal,
      released: () => this.d.released(),
      onFrame: (frame) => {
        if (turn && frame) this.observe(turn, frame, keepAnchor)
      },
      onServerClose: () => (this.serverClosing = true),
    }
  }

  /** Keeps the turn record and the anchor in step with what was just sent. */
  private observe(turn: WsTurnRecord, frame: Json, keepAnchor: boolean): void {
    const response = (frame.response ?? {}) as Json
    const id = typeof response.id === 'string' ? response.id : undefined
    if (frame.type === 'response.created') turn.responseId = id ?? turn.responseId
    else if (frame.type === 'response.completed') {
      turn.outcome = 'completed'
      turn.responseId = id ?? turn.responseId
      const output = Array.isArray(response.output) ? response.output.length : 0
      this.anchor = id ? { id, items: turn.conversationItems + output } : undefined
    } else if (frame.type === 'response.failed' || frame.type === 'response.incomplete') {
      turn.outcome = frame.type === 'response.failed' ? 'failed' : 'incomplete'
      turn.errorCode = ((response.error ?? {}) as Json).code as string | undefined
      this.anchor = undefined
    } else if (frame.type === 'error') {
      turn.outcome = 'error'
      const status = frame.status ?? frame.status_code
      turn.status = typeof status === 'number' ? status : undefined
      turn.errorCode = ((frame.error ?? {}) as Json).code as string | undefined
      if (!keepAnchor) this.anchor = undefined
    } else return
    this.d.changed()
  }

  private async reject(behaviour: WsTurnBehaviour): Promise<void> {
    await playTurn(this.io(undefined), behaviour, this.context(undefined, {}))
  }

  private context(behaviour: WsTurnBehaviour | undefined, body: Json) {
    const scripted = behaviour && 'responseId' in behaviour ? behaviour.responseId : undefined
    const model = behaviour && 'model' in behaviour ? behaviour.model : undefined
    return {
      responseId: scripted ?? `resp_${randomBytes(12).toString('hex')}`,
      model: model ?? (typeof body.model === 'string' ? body.model : DEFAULT_MODEL),
      createdAt: Math.floor(Date.now() / 1000),
    }
  }

  private async onMessage(data: Buffer, isBinary: boolean): Promise<void> {
    if (isBinary) {
      this.d.record.otherMessages.push(data)
      return this.reject(invalidMessage('Binary frames are not supported.'))
    }
    const text = data.toString('utf8')
    const body = parseObject(text)
    if (body?.type !== 'response.create') {
      this.d.record.otherMessages.push(body ?? text)
      this.d.changed()
      // Newer Codex acknowledges completed responses; the backend expects nothing back.
      if (body?.type === 'response.processed') return
      const what = body ? `Unsupported message type ${JSON.stringify(body.type)}.` : 'Invalid JSON.'
      return this.reject(invalidMessage(what))
    }
    await this.turn(body, data.length)
  }

  private async turn(body: Json, bytes: number): Promise<void> {
    const previous = body.previous_response_id
    const previousResponseId = typeof previous === 'string' ? previous : undefined
    this.turnCount += 1
    const turn: WsTurnRecord = {
      connectionId: this.d.record.id,
      index: this.turnCount,
      account: this.d.state.account,
      body,
      previousResponseId,
      incremental: previousResponseId !== undefined,
      inputItems: inputLength(body.input),
      conversationItems: 0,
      bytes,
      prewarm: body.generate === false,
      responseId: undefined,
      outcome: 'open',
      status: undefined,
      errorCode: undefined,
    }
    this.d.logTurn(turn)
    if (this.current) {
      return void playTurn(this.io(turn, true), responseInProgress(), this.context(undefined, body))
    }
    this.current = turn
    const exit = this.d.enter()
    try {
      const { behaviour, keepAnchor } = this.choose(turn)
      await playTurn(this.io(turn, keepAnchor), behaviour, this.context(behaviour, body))
      // Closed (or closing) before a terminal event, whoever closed it.
      const gone = this.d.socket.readyState !== this.d.socket.OPEN
      if (turn.outcome === 'open' && gone) turn.outcome = 'closed'
    } finally {
      exit()
      this.current = undefined
      this.d.changed()
    }
  }

  private choose(turn: WsTurnRecord): { behaviour: WsTurnBehaviour; keepAnchor: boolean } {
    if (Date.now() - this.d.record.openedAt >= this.d.connectionLimitMs()) {
      return { behaviour: connectionLimitReached(), keepAnchor: false }
    }
    const prev = turn.previousResponseId
    if (prev !== undefined && prev !== this.anchor?.id) {
      // Nothing this connection holds was referenced, so nothing is evicted.
      return { behaviour: previousResponseNotFound(prev), keepAnchor: true }
    }
    turn.conversationItems = (prev !== undefined ? (this.anchor?.items ?? 0) : 0) + turn.inputItems
    const limit = this.d.limit()
    if (limit) return { behaviour: limit, keepAnchor: false }
    if (turn.prewarm) {
      const ctx = this.context(undefined, turn.body)
      return {
        behaviour: { kind: 'ws-frames', frames: prewarmEvents(ctx.responseId, ctx.model) },
        keepAnchor: false,
      }
    }
    return { behaviour: this.d.nextBehaviour(), keepAnchor: false }
  }
}
