import WebSocket from 'ws'

/** The upgrade was answered with an HTTP status instead of 101. */
export class UpgradeRefusedError extends Error {
  constructor(
    readonly status: number,
    readonly headers: Record<string, string | string[] | undefined>,
    readonly body: string,
  ) {
    super(`Upstream refused the WebSocket upgrade: HTTP ${status}`)
    this.name = 'UpgradeRefusedError'
  }
}

/** The socket closed, errored or went silent while a frame was awaited. */
export class UpstreamSocketClosedError extends Error {
  constructor(
    message: string,
    readonly code: 'closed' | 'idle_timeout' | 'network',
  ) {
    super(message)
    this.name = 'UpstreamSocketClosedError'
  }
}

export interface UpstreamSocketOptions {
  url: string
  headers: Record<string, string>
  connectTimeoutMs: number
  signal: AbortSignal
}

const MAX_REFUSAL_BODY = 64 * 1024

/**
 * One WebSocket to the Codex backend (`{UPSTREAM}/codex/responses`), without compression: frames
 * arrive in a queue that `next()` reads in order. It remembers the last response it completed,
 * which is the only anchor the backend will accept on it.
 */
export class UpstreamSocket {
  /** The last response completed on this socket: what an incremental turn may anchor on. */
  anchor: string | undefined
  readonly #queue: string[] = []
  #wake: (() => void) | undefined
  #closed: UpstreamSocketClosedError | undefined

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      // The backend sends JSON text frames only; a binary one is relayed as text all the same.
      this.#queue.push(isBinary ? Buffer.from(data as Buffer).toString('utf8') : String(data))
      this.#notify()
    })
    ws.on('close', (code) => this.#end(new UpstreamSocketClosedError(`closed (${code})`, 'closed')))
    ws.on('error', (err) => this.#end(new UpstreamSocketClosedError(err.message, 'network')))
  }

  static connect(options: UpstreamSocketOptions): Promise<UpstreamSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(options.url, {
        headers: options.headers,
        perMessageDeflate: false,
        handshakeTimeout: options.connectTimeoutMs,
        maxPayload: 256 * 1024 * 1024,
      })
      const abort = () => ws.terminate()
      options.signal.addEventListener('abort', abort, { once: true })
      const settle = () => options.signal.removeEventListener('abort', abort)
      ws.once('open', () => {
        settle()
        resolve(new UpstreamSocket(ws))
      })
      ws.once('unexpected-response', (_req, res) => {
        const parts: Buffer[] = []
        let size = 0
        res.on('data', (chunk: Buffer) => {
          if (size < MAX_REFUSAL_BODY) parts.push(chunk)
          size += chunk.length
        })
        res.on('end', () => {
          settle()
          const body = Buffer.concat(parts).toString('utf8').slice(0, MAX_REFUSAL_BODY)
          reject(new UpgradeRefusedError(res.statusCode ?? 0, res.headers, body))
        })
        res.on('error', () => undefined)
      })
      ws.once('error', (err) => {
        settle()
        reject(err)
      })
    })
  }

  get open(): boolean {
    return !this.#closed && this.ws.readyState === WebSocket.OPEN
  }

  send(text: string): void {
    if (!this.open) throw new UpstreamSocketClosedError('socket is not open', 'closed')
    this.ws.send(text)
  }

  /** The next frame; throws when the socket closes first or stays silent for `idleMs`. */
  async next(idleMs: number): Promise<string> {
    for (;;) {
      const frame = this.#queue.shift()
      if (frame !== undefined) return frame
      if (this.#closed) throw this.#closed
      let timer: NodeJS.Timeout | undefined
      const timedOut = await new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), idleMs)
        this.#wake = () => resolve(false)
      })
      clearTimeout(timer)
      this.#wake = undefined
      if (timedOut && this.#queue.length === 0 && !this.#closed) {
        this.close()
        throw new UpstreamSocketClosedError('upstream went silent', 'idle_timeout')
      }
    }
  }

  /** Ends the socket (and any turn on it) with a normal close; cut if the backend does not answer. */
  close(): void {
    this.anchor = undefined
    if (this.ws.readyState === WebSocket.OPEN) {
      this.ws.close(1000)
      setTimeout(() => this.ws.terminate(), 1000).unref()
    } else if (this.ws.readyState === WebSocket.CONNECTING) {
      this.ws.terminate()
    }
  }

  #end(err: UpstreamSocketClosedError): void {
    this.#closed ??= err
    this.anchor = undefined
    this.#notify()
  }

  #notify(): void {
    this.#wake?.()
  }
}
