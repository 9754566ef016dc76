import type { FastifyBaseLogger } from 'fastify'
import { AppError } from '../../errors/index.js'
import type { Clock } from '../../lib/clock.js'
import type { UpstreamFailure } from '../../upstream/failure.js'
import { costWithPrices } from '../request-logs/pricing.js'
import { AttemptRecorder, type LogSink, type OverflowSource } from './attempt-recorder.js'
import { relayedUpstreamError } from './proxy-errors.js'
import type { Attempted, StreamCall } from './proxy-service.js'

/** One overflow upstream as the proxy uses it for one request (model already renamed). */
export interface OverflowTarget {
  id: string
  name: string
  /** e.g. `https://api.openai.com/v1`; requests go to `{baseUrl}/responses`. */
  baseUrl: string
  apiKey: string
  /** The model name to send there. */
  model: string
  prices: { input: number | null; cachedInput: number | null; output: number | null }
}

/** Which overflow upstreams may serve a model now, and their health (implemented by overflow/). */
export interface OverflowDirectory {
  /** Usable upstreams for `model`, those naming it first; `named`: some upstream lists it. */
  candidates(
    model: string,
    now: number,
  ): Promise<{ targets: OverflowTarget[]; named: boolean; coolingUntil: number | undefined }>
  failed(id: string, failure: UpstreamFailure, now: number): void
  succeeded(id: string): void
}

export type OverflowMode = 'off' | 'exhausted' | 'always'

export type OverflowAttemptFn<T> = (
  target: OverflowTarget,
  attempt: AttemptRecorder,
) => Promise<Attempted<T>>

/** The pool cannot serve for now: the reasons overflow may step in for. */
const POOL_GAVE_UP = new Set(['limited', 'cooling_down', 'at_capacity', 'no_accounts'])

/** Owner id of an overflow turn in the conversation record (never an account id). */
export const overflowOwner = (id: string) => `overflow:${id}`

/** The key itself, and anything shaped like an OpenAI key (their 401s echo a masked one). */
export function redactKey(text: string, key: string): string {
  return text
    .split(key)
    .join('[redacted]')
    .replace(/\bsk-[\w*-]{6,}/g, 'sk-[redacted]')
}

function redactFailure(f: UpstreamFailure, target: OverflowTarget): UpstreamFailure {
  const scrub = (s: string) => redactKey(s, target.apiKey)
  const body = f.body && (JSON.parse(scrub(JSON.stringify(f.body))) as Record<string, unknown>)
  const message =
    f.kind === 'unauthorized'
      ? `Overflow upstream '${target.name}' rejected its API key`
      : scrub(f.message)
  return { ...f, message, body }
}

/**
 * The body sent to an overflow upstream: the requested model renamed, and for a rebuilt follow-up
 * the portable form unless this upstream produced the earlier turn (an account's encrypted items
 * mean nothing to another organization's key).
 */
export function overflowBody(call: StreamCall, target: OverflowTarget): string {
  const c = call.continuation
  const body = !c || c.accountId === overflowOwner(target.id) ? call.request.body : c.portableBody
  return JSON.stringify({ ...body, model: target.model })
}

export interface OverflowContext {
  directory: OverflowDirectory
  clock: Clock
  logs: LogSink
  log: FastifyBaseLogger
}

/**
 * Overflow for one request: tried at most once, either first (`always` for a model an upstream
 * names) or when the account pool gives up. Upstreams fail over like accounts, each failure cools
 * that upstream down, and the pool's own answer then says what overflow did.
 */
export class OverflowRoute<T> {
  tried = false
  #note: string | undefined

  constructor(
    private readonly ctx: OverflowContext,
    private readonly call: StreamCall,
    private readonly mode: OverflowMode,
    private readonly attemptFn: OverflowAttemptFn<T>,
  ) {}

  /** `always`, for a model an overflow upstream names: before any account. */
  async first(): Promise<{ value: T } | undefined> {
    if (this.mode !== 'always') return undefined
    const found = await this.ctx.directory.candidates(this.call.request.model, this.ctx.clock.now())
    return found.named ? this.#run() : undefined
  }

  /** The pool gave up for `reason`: overflow serves when the mode allows it. */
  async fallback(reason: string): Promise<{ value: T } | undefined> {
    if (this.tried || this.mode === 'off' || !POOL_GAVE_UP.has(reason)) return undefined
    return this.#run()
  }

  /** The pool's error, with what overflow did when it was tried. */
  explain(err: AppError): AppError {
    if (!this.#note) return err
    return new AppError(`${err.message} ${this.#note}`, {
      status: err.status,
      code: err.code,
      type: err.type,
      headers: err.headers,
      details: err.details,
      ...(err.param === undefined ? {} : { param: err.param }),
    })
  }

  async #run(): Promise<{ value: T } | undefined> {
    this.tried = true
    const { directory, clock } = this.ctx
    const found = await directory.candidates(this.call.request.model, clock.now())
    const failed: string[] = []
    for (const target of found.targets) {
      const attempt = new AttemptRecorder(
        this.call.facts,
        overflowOwner(target.id),
        clock,
        this.ctx.logs,
        this.#source(target),
      )
      let outcome: Attempted<T>
      try {
        outcome = await this.attemptFn(target, attempt)
      } catch (err) {
        attempt.finishThrown(err)
        throw err
      }
      if (outcome.kind === 'opened') {
        directory.succeeded(target.id)
        return { value: outcome.value }
      }
      attempt.finish()
      const failure = redactFailure(outcome.failure, target)
      const where = { requestId: this.call.facts.requestId, overflowUpstream: target.name }
      this.ctx.log.warn({ ...where, code: failure.code }, 'overflow upstream failed')
      // The request itself is at fault: no other upstream or account would do better.
      if (failure.kind === 'client') throw relayedUpstreamError(failure, clock.now())
      directory.failed(target.id, failure, clock.now())
      failed.push(`'${target.name}' failed (${failure.code})`)
    }
    this.#note = failed.length
      ? `Overflow upstream ${failed.join(', ')}.`
      : found.coolingUntil !== undefined
        ? `Overflow upstreams are cooling down after errors until ${new Date(found.coolingUntil).toISOString()}.`
        : undefined
    return undefined
  }

  #source(target: OverflowTarget): OverflowSource {
    return {
      id: target.id,
      cost: (usage) => costWithPrices(target.model, usage, target.prices),
      redact: (text) => redactKey(text, target.apiKey),
    }
  }
}
