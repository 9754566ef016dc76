import type { Readable } from 'node:stream'
import { Agent, request, type Dispatcher } from 'undici'
import { dispatchStream, type StreamedResponse } from './body-stream.js'
import { EgressDispatchers } from './egress-proxy.js'

export interface UpstreamClientOptions {
  connectTimeoutMs: number
  /** Longest silence between body chunks of a stream before it counts as stalled. */
  streamIdleTimeoutMs: number
}

export interface UpstreamResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Readable & {
    text(): Promise<string>
    json(): Promise<unknown>
    arrayBuffer(): Promise<ArrayBuffer>
  }
}

export interface UpstreamRequest {
  method: 'GET' | 'POST'
  url: string
  headers: Record<string, string>
  body?: string
  signal?: AbortSignal
  /** Total time allowed for the response headers (and, with bodyTimeoutMs, the body). */
  headersTimeoutMs?: number
  bodyTimeoutMs?: number
  /** The account's egress proxy (http://, https:// or socks5:// URL); absent: a direct connection. */
  egressProxy?: string | null | undefined
}

/** Pooled keep-alive HTTP client for chatgpt.com and auth.openai.com (or the test fake). */
export class UpstreamClient {
  readonly #agent: Agent
  readonly #options: UpstreamClientOptions
  readonly #egress: EgressDispatchers

  constructor(options: UpstreamClientOptions, dispatcher?: Agent) {
    this.#options = options
    this.#egress = new EgressDispatchers({ connectTimeoutMs: options.connectTimeoutMs })
    this.#agent =
      dispatcher ??
      new Agent({
        connect: { timeout: options.connectTimeoutMs },
        keepAliveTimeout: 30_000,
        keepAliveMaxTimeout: 600_000,
        pipelining: 1,
      })
  }

  async send(req: UpstreamRequest): Promise<UpstreamResponse> {
    const res = await request(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body ?? null,
      signal: req.signal ?? null,
      headersTimeout: req.headersTimeoutMs ?? this.#options.streamIdleTimeoutMs,
      bodyTimeout: req.bodyTimeoutMs ?? this.#options.streamIdleTimeoutMs,
      dispatcher: req.egressProxy ? this.#egress.get(req.egressProxy) : this.#agent,
    })
    return { status: res.statusCode, headers: res.headers, body: res.body }
  }

  /**
   * The same request for a body read as a stream of chunks (the proxied Responses stream): lighter
   * than `send`, whose Readable body the hot path does not need.
   */
  stream(req: UpstreamRequest): Promise<StreamedResponse> {
    const url = new URL(req.url)
    return dispatchStream(req.egressProxy ? this.#egress.get(req.egressProxy) : this.#agent, {
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: req.method,
      headers: req.headers,
      body: req.body ?? null,
      signal: req.signal ?? null,
      headersTimeout: req.headersTimeoutMs ?? this.#options.streamIdleTimeoutMs,
      bodyTimeout: req.bodyTimeoutMs ?? this.#options.streamIdleTimeoutMs,
    })
  }

  /** The pooled dispatcher of one egress proxy (also used for the OAuth token refresh). */
  dispatcherFor(proxyUrl: string): Dispatcher {
    return this.#egress.get(proxyUrl)
  }

  async close(): Promise<void> {
    await Promise.all([this.#agent.close(), this.#egress.close()])
  }
}
