import type { NewRequestLogRow } from '../../db/schema.js'
import type { Clock } from '../../lib/clock.js'
import { costUsd, type TokenUsage } from '../request-logs/pricing.js'
import { errorBodyForLog, redactSecrets } from '../request-logs/redact.js'

/** An attempt on an overflow upstream instead of an account: its row, cost and redaction. */
export interface OverflowSource {
  id: string
  /** Cost at the upstream's own prices. */
  cost(usage: TokenUsage): number | undefined
  /** Removes the upstream's key from text it sent back, before that text is kept anywhere. */
  redact(text: string): string
}

export interface RequestFacts {
  requestId: string
  endpoint: string
  model: string
  reasoningEffort: string | null
  apiKeyId: string | null
  /** Absent: HTTP. */
  transport?: 'http' | 'websocket'
  /** Who asked: the address Fastify's trust-proxy yields, and the User-Agent header. */
  clientIp: string | null
  userAgent: string | null
}

/** The two client facts of a request (for WebSocket turns: of the upgrade request). */
export function clientFacts(
  ip: string | undefined,
  userAgent: string | string[] | undefined,
): Pick<RequestFacts, 'clientIp' | 'userAgent'> {
  const ua = Array.isArray(userAgent) ? userAgent[0] : userAgent
  return { clientIp: ip ?? null, userAgent: ua ? ua.slice(0, 512) : null }
}

export interface LogSink {
  enqueue(row: NewRequestLogRow): void
}

/**
 * One request-log row per upstream attempt, written exactly once from `finish()` (called in a
 * `finally`), whatever the client or the upstream did.
 */
export class AttemptRecorder {
  readonly startedAt: number
  #firstByteAt: number | undefined
  #usage: TokenUsage | undefined
  #error: { code: string; message: string; body: string | null } | undefined
  #httpStatus: number | undefined
  #done = false
  #onFinish: Array<() => void> = []

  constructor(
    private readonly facts: RequestFacts,
    readonly accountId: string,
    private readonly clock: Clock,
    private readonly sink: LogSink,
    /** Set when an overflow upstream serves the attempt; `accountId` is then `overflow:<id>`. */
    readonly overflow?: OverflowSource,
  ) {
    this.startedAt = clock.now()
  }

  firstByte(): void {
    this.#firstByteAt ??= this.clock.now()
  }

  status(httpStatus: number): void {
    this.#httpStatus = httpStatus
  }

  usage(usage: TokenUsage | undefined): void {
    if (usage) this.#usage = usage
  }

  /**
   * The first failure wins. Upstreams echo what they were sent, so the message is redacted too;
   * `upstreamBody` is what the upstream itself said (its error object or body), when it said
   * anything: kept redacted and capped, never whole.
   */
  fail(code: string, message: string, upstreamBody?: unknown): void {
    if (this.#error) return
    const overflow = this.overflow
    const redact = overflow ? (text: string) => overflow.redact(text) : undefined
    const text = redactSecrets(redact ? redact(message) : message)
    this.#error = {
      code,
      message: text.slice(0, 2000),
      body: errorBodyForLog(upstreamBody, redact),
    }
  }

  get recordedUsage(): TokenUsage | undefined {
    return this.#usage
  }

  /** What `usage` costs where this attempt went (an overflow upstream has its own prices). */
  costOf(usage: TokenUsage): number | undefined {
    return this.overflow ? this.overflow.cost(usage) : costUsd(this.facts.model, usage)
  }

  /** Runs when the attempt ends (at once if it has): what the attempt held is given back there. */
  onFinish(fn: () => void): void {
    if (this.#done) fn()
    else this.#onFinish.push(fn)
  }

  /** Ends an attempt whose own code threw: its row says error, never a bodiless "success". */
  finishThrown(err: unknown): void {
    this.fail('internal_error', err instanceof Error ? err.message : String(err))
    this.finish()
  }

  finish(): void {
    if (this.#done) return
    this.#done = true
    for (const fn of this.#onFinish.splice(0)) fn()
    const now = this.clock.now()
    const u = this.#usage
    this.sink.enqueue({
      account_id: this.overflow ? null : this.accountId,
      overflow_upstream_id: this.overflow?.id ?? null,
      api_key_id: this.facts.apiKeyId,
      request_id: this.facts.requestId,
      requested_at: this.startedAt,
      endpoint: this.facts.endpoint,
      model: this.facts.model,
      reasoning_effort: this.facts.reasoningEffort,
      status: this.#error ? 'error' : 'success',
      http_status: this.#httpStatus ?? null,
      error_code: this.#error?.code ?? null,
      error_message: this.#error?.message ?? null,
      upstream_error_body: this.#error?.body ?? null,
      input_tokens: u?.inputTokens ?? null,
      cached_input_tokens: u?.cachedInputTokens ?? null,
      output_tokens: u?.outputTokens ?? null,
      reasoning_tokens: u?.reasoningTokens ?? null,
      cost_usd: u ? (this.costOf(u) ?? null) : null,
      latency_ms: now - this.startedAt,
      ttfb_ms: this.#firstByteAt === undefined ? null : this.#firstByteAt - this.startedAt,
      transport: this.facts.transport ?? 'http',
      client_ip: this.facts.clientIp,
      user_agent: this.facts.userAgent,
    })
  }
}

/** The row of a request no account could take: no attempt was made, but the log says why. */
export function unservedRow(
  facts: RequestFacts,
  error: { status: number; code: string; message: string },
  now: number,
): NewRequestLogRow {
  return {
    account_id: null,
    api_key_id: facts.apiKeyId,
    request_id: facts.requestId,
    requested_at: now,
    endpoint: facts.endpoint,
    model: facts.model,
    reasoning_effort: facts.reasoningEffort,
    status: 'error',
    http_status: error.status,
    error_code: error.code,
    error_message: error.message.slice(0, 2000),
    upstream_error_body: null,
    input_tokens: null,
    cached_input_tokens: null,
    output_tokens: null,
    reasoning_tokens: null,
    cost_usd: null,
    latency_ms: 0,
    ttfb_ms: null,
    transport: facts.transport ?? 'http',
    client_ip: facts.clientIp,
    user_agent: facts.userAgent,
  }
}
