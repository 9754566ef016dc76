import { STATUS_CODES, type IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer } from 'ws'
import type { AccountState, AccountStore } from './accounts.js'
import { defaultErrorBody } from './behaviours.js'
import { errorBody, EXPIRED, flatHeaders } from './http.js'
import { Script } from './script.js'
import type { AccountRef, HttpErrorBehaviour, ResponseBehaviour } from './types.js'
import { Waiters } from './waiters.js'
import { WsConnection } from './ws-connection.js'
import type {
  WsConnectionRecord,
  WsTurnBehaviour,
  WsTurnRecord,
  WsUpgradeBehaviour,
} from './ws-types.js'

export const WS_PATH = '/backend-api/codex/responses'

/** What the WebSocket side borrows from the HTTP fake. */
export interface WsHost {
  store: AccountStore
  /** The account's next HTTP script entry (`fake.script`), used when no WS script applies. */
  httpBehaviour(state: AccountState): ResponseBehaviour
  limit(state: AccountState): HttpErrorBehaviour | undefined
  /** Counts a running turn in the fake's concurrency log; the result counts it out. */
  enter(state: AccountState): () => void
}

/** A plain HTTP answer on the raw socket of a refused upgrade. */
function writeHttp(socket: Duplex, status: number, body: unknown, headers = {}): void {
  const text = JSON.stringify(body)
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Unknown'}`,
    'content-type: application/json',
    `content-length: ${Buffer.byteLength(text)}`,
    'connection: close',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${String(value)}`),
  ]
  socket.end(`${lines.join('\r\n')}\r\n\r\n${text}`)
}

/**
 * The backend's WebSocket transport on `WS_PATH` (reference websocket.md): token check at the
 * upgrade, one `response.create` at a time per socket, `previous_response_id` state per socket only.
 */
export class WsFake {
  /** Every upgrade request in arrival order, refused ones included. */
  readonly connections: WsConnectionRecord[] = []
  /** Every `response.create` in arrival order, across connections. */
  readonly turns: WsTurnRecord[] = []
  /** Age after which a connection's next turn gets `websocket_connection_limit_reached`. */
  connectionLimitMs = 60 * 60_000
  private readonly scripts = new Map<AccountState, Script<WsTurnBehaviour>>()
  private defaultScript: Script<WsTurnBehaviour> | undefined
  private upgradeScript = new Script<WsUpgradeBehaviour>([{ kind: 'accept' }])
  private readonly live = new Map<number, WsConnection>()
  private releases: Array<() => void> = []
  private readonly waiters = new Waiters()
  private readonly plain = new WebSocketServer({ noServer: true, perMessageDeflate: false })
  private readonly deflate = new WebSocketServer({ noServer: true, perMessageDeflate: true })
  private readonly acceptHeaders = new WeakMap<IncomingMessage, Record<string, string>>()

  constructor(private readonly host: WsHost) {
    for (const wss of [this.plain, this.deflate]) {
      wss.on('headers', (headers, req) => {
        const extra = this.acceptHeaders.get(req) ?? {}
        for (const [name, value] of Object.entries(extra)) headers.push(`${name}: ${value}`)
      })
    }
  }

  /** This account's WS turns, in order (the last repeats). Without it: `fake.script`'s queue. */
  script(account: AccountRef, ...behaviours: WsTurnBehaviour[]): void {
    this.scripts.set(this.host.store.get(account), new Script(behaviours))
  }

  /** WS turns of accounts without their own WS script (else they use the HTTP scripts). */
  scriptDefault(...behaviours: WsTurnBehaviour[]): void {
    this.defaultScript = new Script(behaviours)
  }

  /** How the next upgrades (with a valid token) are answered; default: accept with deflate. */
  scriptUpgrade(...behaviours: WsUpgradeBehaviour[]): void {
    this.upgradeScript = new Script(behaviours)
  }

  /** Lets every stalled turn go on with its remaining events. */
  release(): void {
    const releases = this.releases
    this.releases = []
    for (const release of releases) release()
  }

  connection(id: number): WsConnectionRecord {
    const record = this.connections[id - 1]
    if (!record) throw new Error(`fake upstream: no WebSocket connection ${id}`)
    return record
  }

  turnsOn(connectionId: number): WsTurnRecord[] {
    return this.turns.filter((t) => t.connectionId === connectionId)
  }

  /** Resolves with the `count`-th `response.create` (1-based) once it has arrived. */
  waitForTurn(count = 1, timeoutMs?: number): Promise<WsTurnRecord> {
    return this.waiters.wait(() => this.turns[count - 1], timeoutMs, `WebSocket turn ${count}`)
  }

  /** Resolves with the `count`-th turn once it has ended (outcome no longer `open`). */
  waitForTurnEnd(count = 1, timeoutMs?: number): Promise<WsTurnRecord> {
    const ended = () => {
      const turn = this.turns[count - 1]
      return turn && turn.outcome !== 'open' ? turn : undefined
    }
    return this.waiters.wait(ended, timeoutMs, `end of WebSocket turn ${count}`)
  }

  /** Resolves with the `count`-th upgrade request once it has been answered. */
  waitForConnection(count = 1, timeoutMs?: number): Promise<WsConnectionRecord> {
    const answered = () => {
      const record = this.connections[count - 1]
      return record && record.status !== 0 ? record : undefined
    }
    return this.waiters.wait(answered, timeoutMs, `WebSocket upgrade ${count}`)
  }

  /** Resolves once connection `id` has closed, whoever closed it. */
  waitForClose(id: number, timeoutMs?: number): Promise<WsConnectionRecord> {
    const closed = () => (this.connections[id - 1]?.closed ? this.connections[id - 1] : undefined)
    return this.waiters.wait(closed, timeoutMs, `close of WebSocket ${id}`)
  }

  /** The fake closes connection `id` with a close frame, e.g. 1001 going away while idle. */
  closeConnection(id: number, code = 1001, reason = ''): void {
    this.live.get(id)?.close(code, reason)
  }

  /** The fake cuts connection `id`'s TCP socket without a close frame. */
  dropConnection(id: number): void {
    this.live.get(id)?.drop()
  }

  /** Cuts every socket and forgets logs and scripts. */
  reset(): void {
    for (const conn of this.live.values()) conn.drop()
    this.live.clear()
    this.release()
    this.connections.length = 0
    this.turns.length = 0
    this.scripts.clear()
    this.defaultScript = undefined
    this.upgradeScript = new Script<WsUpgradeBehaviour>([{ kind: 'accept' }])
    this.connectionLimitMs = 60 * 60_000
  }

  close(): void {
    this.reset()
    this.plain.close()
    this.deflate.close()
  }

  /** @internal the node:http server's `upgrade` event */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => undefined)
    const record: WsConnectionRecord = {
      id: this.connections.length + 1,
      path: new URL(req.url ?? '/', 'http://fake.invalid').pathname,
      headers: flatHeaders(req),
      account: undefined,
      status: 0,
      negotiatedExtensions: '',
      otherMessages: [],
      openedAt: Date.now(),
      closed: undefined,
    }
    this.connections.push(record)
    const refuse = (status: number, body: unknown, headers?: Record<string, string>) => {
      record.status = status
      writeHttp(socket, status, body, headers)
      this.waiters.notify()
    }
    if (record.path !== WS_PATH) return refuse(404, { detail: 'Not Found' })
    const token = /^Bearer\s+(.+)$/i.exec(record.headers.authorization ?? '')?.[1]?.trim()
    const state = this.host.store.byAccessToken(token)
    if (!state) return refuse(401, EXPIRED)
    record.account = state.account
    if (record.headers['chatgpt-account-id'] !== state.account.chatgptAccountId) {
      return refuse(
        403,
        errorBody('account_mismatch', 'ChatGPT-Account-ID does not match the token.'),
      )
    }
    const behaviour = this.upgradeScript.next()
    if (behaviour.kind === 'refuse') {
      return refuse(
        behaviour.status,
        behaviour.body ?? defaultErrorBody(behaviour.status),
        behaviour.headers,
      )
    }
    this.acceptHeaders.set(req, behaviour.headers ?? {})
    const wss = behaviour.deflate === false ? this.plain : this.deflate
    wss.handleUpgrade(req, socket, head, (ws) => {
      record.status = 101
      record.negotiatedExtensions = ws.extensions
      const conn = new WsConnection({
        record,
        state,
        socket: ws,
        nextBehaviour: () => this.nextBehaviour(state),
        limit: () => this.host.limit(state),
        connectionLimitMs: () => this.connectionLimitMs,
        released: () => new Promise((resolve) => this.releases.push(resolve)),
        logTurn: (turn) => this.turns.push(turn),
        enter: () => this.host.enter(state),
        changed: () => this.waiters.notify(),
      })
      this.live.set(record.id, conn)
      ws.on('close', () => {
        if (this.live.get(record.id) === conn) this.live.delete(record.id)
      })
      this.waiters.notify()
    })
  }

  private nextBehaviour(state: AccountState): WsTurnBehaviour {
    const script = this.scripts.get(state) ?? this.defaultScript
    return script ? script.next() : this.host.httpBehaviour(state)
  }
}
