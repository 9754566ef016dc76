import type { Readable } from 'node:stream'
import { Agent, request } from 'undici'

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
}

/** Pooled keep-alive HTTP client for chatgpt.com and auth.openai.com (or the test fake). */
export class UpstreamClient {
  readonly #agent: Agent
  readonly #options: UpstreamClientOptions

  constructor(options: UpstreamClientOptions, dispatcher?: Agent) {
    this.#options = options
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
      dispatcher: this.#agent,
    })
    return { status: res.statusCode, headers: res.headers, body: res.body }
  }

  async close(): Promise<void> {
    await this.#agent.close()
  }
}
