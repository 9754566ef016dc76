import type { IncomingMessage } from 'node:http'
import { WebSocket, type ClientOptions } from 'ws'

type Json = Record<string, unknown>

const TERMINAL = new Set(['response.completed', 'response.failed', 'response.incomplete', 'error'])

/** A plain `ws` client for tests: every frame is kept, `next()` reads them in order. */
export class WsTestClient {
  /** Every frame received, JSON-parsed (a non-JSON text frame is kept as `{raw}`). */
  readonly frames: Json[] = []
  /** Headers of the 101 answer. */
  readonly upgradeHeaders: Record<string, string | string[] | undefined>
  /** Settles with the close code and reason, whoever closed. */
  readonly closed: Promise<{ code: number; reason: string }>
  private cursor = 0
  private wake: (() => void) | undefined

  constructor(
    readonly socket: WebSocket,
    upgrade: IncomingMessage,
  ) {
    this.upgradeHeaders = upgrade.headers
    socket.on('message', (data, isBinary) => {
      const text = isBinary ? undefined : (data as Buffer).toString('utf8')
      let frame: Json
      try {
        frame = text === undefined ? { binary: data } : (JSON.parse(text) as Json)
      } catch {
        frame = { raw: text }
      }
      this.frames.push(frame)
      this.wake?.()
    })
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() })
        this.wake?.()
      })
    })
  }

  /** The next unread frame; rejects when the socket closes first or after `timeoutMs`. */
  async next(timeoutMs = 3000): Promise<Json> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const frame = this.frames[this.cursor]
      if (frame) {
        this.cursor += 1
        return frame
      }
      if (this.socket.readyState >= WebSocket.CLOSING) throw new Error('socket closed')
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`no frame within ${timeoutMs} ms`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
    }
  }

  /** Resolves true if no frame arrives within `ms`. */
  async silentFor(ms: number): Promise<boolean> {
    const before = this.frames.length
    await new Promise((resolve) => setTimeout(resolve, ms))
    return this.frames.length === before
  }

  send(frame: Json | string): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame))
  }

  /** Sends a `response.create` with `body` and reads up to its terminal event or error frame. */
  async turn(body: Json, timeoutMs = 3000): Promise<Json[]> {
    this.send({ type: 'response.create', ...body })
    return this.readTurn(timeoutMs)
  }

  async readTurn(timeoutMs = 3000): Promise<Json[]> {
    const frames: Json[] = []
    for (;;) {
      const frame = await this.next(timeoutMs)
      frames.push(frame)
      if (TERMINAL.has(frame.type as string)) return frames
    }
  }

  close(): Promise<{ code: number; reason: string }> {
    this.socket.close()
    return this.closed
  }
}

/** Opens a socket; rejects with the status if the upgrade is refused. */
export function connectWs(
  url: string,
  headers: Record<string, string>,
  options: ClientOptions = {},
): Promise<WsTestClient> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers, ...options })
    socket.once('upgrade', (res) => {
      const client = new WsTestClient(socket, res)
      socket.once('open', () => resolve(client))
    })
    socket.once('unexpected-response', (_req, res) => {
      reject(new Error(`upgrade refused with ${res.statusCode}`))
      res.resume()
    })
    socket.once('error', reject)
  })
}

/** An upgrade the server should refuse: its status, headers and JSON body. */
export function refusedUpgrade(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: IncomingMessage['headers']; body: unknown }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers })
    socket.once('open', () => {
      socket.close()
      reject(new Error('upgrade was accepted'))
    })
    socket.once('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let body: unknown = text
        try {
          body = JSON.parse(text)
        } catch {
          // not JSON: keep the text
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body })
      })
    })
    socket.once('error', reject)
  })
}

/** The ws:// URL of a codex-lb (or fake) HTTP base URL's Responses socket. */
export function wsUrl(httpBase: string, path = '/backend-api/codex/responses'): string {
  return httpBase.replace(/^http/, 'ws') + path
}
