import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CallbackPortUnavailableError, UNEXPECTED_FAILURE } from './errors.js'
import { failurePage, notFoundPage, type CallbackPage } from './pages.js'

export const CALLBACK_PATH = '/auth/callback'
const CLOSE_GRACE_MS = 2_000

export interface CallbackServerOptions {
  host: string
  port: number
  /** Handles `GET /auth/callback`; must not throw (failures are pages too). */
  handle(query: URLSearchParams): Promise<CallbackPage>
  /** Runs after each callback response has been sent, e.g. to close an idle listener. */
  afterResponse?(): void
}

/** Errors that mean "someone else has the port" (or we may not bind it), not a bug. */
const UNAVAILABLE = new Set(['EADDRINUSE', 'EACCES', 'EADDRNOTAVAIL'])

/**
 * The local listener the auth server redirects the browser to. One listener (one port) serves every
 * concurrent browser sign-in; flows are told apart by `state`. listen/close run one at a time, so a
 * close for an idle moment and a listen for a new flow cannot interleave.
 */
export class CallbackServer {
  #server: Server | undefined
  #port: number | undefined
  #queue: Promise<unknown> = Promise.resolve()

  constructor(private readonly options: CallbackServerOptions) {}

  /** The bound port, listening first if needed. Throws CallbackPortUnavailableError. */
  ensureListening(): Promise<number> {
    return this.#serial(() => this.#listen())
  }

  /** Closes when `idle()` still holds once it is this call's turn; responses in flight finish. */
  closeIf(idle: () => boolean): Promise<void> {
    return this.#serial(async () => {
      if (idle()) await this.#close(false)
    })
  }

  /** Closes now, cutting open connections (shutdown). */
  close(): Promise<void> {
    return this.#serial(() => this.#close(true))
  }

  get listening(): boolean {
    return this.#server !== undefined
  }

  #serial<T>(op: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(op, op)
    this.#queue = next.catch(() => undefined)
    return next
  }

  async #listen(): Promise<number> {
    if (this.#server && this.#port !== undefined) return this.#port
    const server = createServer((req, res) => void this.#respond(req, res))
    const { host, port } = this.options
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        if (err.code && UNAVAILABLE.has(err.code)) {
          reject(new CallbackPortUnavailableError(`${host}:${port}`, err.code))
        } else reject(err)
      })
      server.listen(port, host, () => resolve())
    })
    // Later socket errors (a client resetting mid-request) must not crash the process.
    server.on('error', () => undefined)
    this.#server = server
    this.#port = (server.address() as AddressInfo).port
    return this.#port
  }

  async #close(force: boolean): Promise<void> {
    const server = this.#server
    if (!server) return
    this.#server = undefined
    this.#port = undefined
    await new Promise<void>((resolve) => {
      // Pages are sent with `connection: close`, so only a stuck client can hold this up.
      const cut = setTimeout(() => server.closeAllConnections(), force ? 0 : CLOSE_GRACE_MS)
      server.close(() => {
        clearTimeout(cut)
        resolve()
      })
      server.closeIdleConnections()
    })
  }

  async #respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://callback.invalid')
    let page: CallbackPage
    try {
      page =
        req.method === 'GET' && url.pathname === CALLBACK_PATH
          ? await this.options.handle(url.searchParams)
          : notFoundPage()
    } catch {
      page = failurePage(500, UNEXPECTED_FAILURE)
    }
    res.writeHead(page.status, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      // The URL holds the authorization code: keep it out of Referer headers of any later request.
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      connection: 'close',
    })
    res.end(page.html, () => this.options.afterResponse?.())
  }
}
