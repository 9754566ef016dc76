import type { AppError } from '../../errors/index.js'
import type { UpstreamFailure } from '../../upstream/failure.js'
import type { UpstreamCredential } from '../../upstream/headers.js'
import { headroomGate, RequestCapacity, type AccountGate, type Lease } from '../balancer/index.js'
import { ModelNotAvailableError, planCanUseModel } from '../models/index.js'
import { AttemptRecorder, unservedRow } from './attempt-recorder.js'
import { readToEnd, type CollectedStream } from './collect.js'
import { compactUpstream } from './compact-attempt.js'
import { modelPlanGate } from './gates.js'
import {
  OverflowRoute,
  overflowBody,
  type OverflowAttemptFn,
  type OverflowMode,
  type OverflowTarget,
} from './overflow-route.js'
import { ClientClosedError, exhaustedError, relayedUpstreamError } from './proxy-errors.js'
import type { Attempted, AttemptFn, ProxyServiceDeps, StreamCall } from './proxy-types.js'
import {
  bodiesFor,
  explained,
  headroomOf,
  planTypeOf,
  refreshFailure,
  sessionHeader,
} from './route-helpers.js'
import { attemptUpstream, type OpenedStream } from './upstream-attempt.js'

export type {
  Attempted,
  AttemptFn,
  CredentialProvider,
  LiveUsage,
  ModelPlans,
  ProxyServiceDeps,
  RoutingSettings,
  StreamCall,
} from './proxy-types.js'

type AccountResult<T> = { kind: 'opened'; value: T } | { kind: 'retry'; failure: UpstreamFailure }

/**
 * Routes one Responses request: picks accounts, refreshes tokens, fails over; everything here
 * happens before the client has seen a byte. Returns an opened upstream stream or throws the error
 * the client should get.
 */
export class ProxyService {
  constructor(private readonly deps: ProxyServiceDeps) {}

  /** Opens an upstream Responses stream; the caller relays or collects it and ends its attempt. */
  async openStream(call: StreamCall): Promise<OpenedStream> {
    const bodyFor = bodiesFor(call)
    return this.#route(
      call,
      (credential, attempt) =>
        this.attemptSse(call, credential, attempt, bodyFor(attempt.accountId)),
      (target, attempt) => this.attemptOverflowSse(call, target, attempt),
    )
  }

  /** One HTTP SSE attempt as `openStream` makes it, for a transport that falls back to HTTP. */
  async attemptSse(
    call: StreamCall,
    credential: UpstreamCredential,
    attempt: AttemptRecorder,
    body: string,
  ): Promise<Attempted<OpenedStream>> {
    const outcome = await attemptUpstream(
      this.deps.upstream,
      this.#input(call, credential, body, attempt.accountId),
      attempt,
      this.deps.clock,
    )
    return outcome.kind === 'opened' ? { kind: 'opened', value: outcome.stream } : outcome
  }

  /** Another transport's attempts (the upstream WebSocket) through this selection and failover. */
  route<T>(
    call: StreamCall,
    attemptFn: AttemptFn<T>,
    overflowFn?: OverflowAttemptFn<T>,
  ): Promise<T> {
    return this.#route(call, attemptFn, overflowFn)
  }

  /** One SSE attempt on an overflow upstream: its public Responses API, its key, the model renamed. */
  async attemptOverflowSse(
    call: StreamCall,
    target: OverflowTarget,
    attempt: AttemptRecorder,
  ): Promise<Attempted<OpenedStream>> {
    const input = {
      url: `${target.baseUrl}/responses`,
      body: overflowBody(call, target),
      requestId: call.facts.requestId,
      // None of the client's headers: they were meant for codex-lb, not for this key's account.
      inbound: {},
      credential: { accessToken: target.apiKey, chatgptAccountId: null },
      signal: call.signal,
      maxEventBytes: this.deps.config.maxSseEventBytes,
    }
    const outcome = await attemptUpstream(this.deps.upstream, input, attempt, this.deps.clock)
    return outcome.kind === 'opened' ? { kind: 'opened', value: outcome.stream } : outcome
  }

  /**
   * Opens an upstream stream and reads it to the end, all before the client sees a byte: a stream
   * that drops on the way fails over like any other failure (clients that did not ask to stream).
   */
  async collect(call: StreamCall, keepBytes: boolean): Promise<CollectedStream> {
    const bodyFor = bodiesFor(call)
    return this.#route(
      call,
      async (credential, attempt) => {
        const outcome = await attemptUpstream(
          this.deps.upstream,
          this.#input(call, credential, bodyFor(attempt.accountId), attempt.accountId),
          attempt,
          this.deps.clock,
        )
        if (outcome.kind === 'failed') return outcome
        return readToEnd(outcome.stream, keepBytes, this.deps.clock)
      },
      async (target, attempt) => {
        const opened = await this.attemptOverflowSse(call, target, attempt)
        return opened.kind === 'opened'
          ? readToEnd(opened.value, keepBytes, this.deps.clock)
          : opened
      },
    )
  }

  /** `/responses/compact`: JSON in and out, with the same selection, refresh and failover. */
  async compact(
    call: StreamCall,
  ): Promise<{ body: Record<string, unknown>; attempt: AttemptRecorder }> {
    const body = JSON.stringify({ ...call.request.body, stream: undefined })
    return this.#route(call, async (credential, attempt) => {
      const outcome = await compactUpstream(
        this.deps.upstream,
        {
          ...this.#input(call, credential, body, attempt.accountId),
          timeoutMs: this.deps.config.compactTimeoutMs,
        },
        attempt,
        this.deps.clock,
      )
      return outcome.kind === 'opened'
        ? { kind: 'opened', value: { body: outcome.body, attempt } }
        : outcome
    })
  }

  /**
   * Plans of the accounts that could take a request at all: not paused or signed out, and not
   * excluded as `not_allowed` by these gates (the API key's account list). Passing states (limits,
   * cooldowns, caps) do not count: they end by themselves.
   */
  async usablePlans(gates: readonly AccountGate[] = []): Promise<string[]> {
    const now = this.deps.clock.now()
    return (await this.deps.pool.states())
      .filter(
        (a) =>
          a.status !== 'paused' &&
          a.status !== 'deactivated' &&
          !gates.some((gate) => gate(a, now)?.reason === 'not_allowed'),
      )
      .map((a) => a.planType)
  }

  /**
   * A plan-restricted model: 400 `model_not_available` when accounts could serve this request but
   * none is on a plan that can use the model (no round of failovers); otherwise the model's gate
   * keeps the request on accounts whose plan can.
   */
  async #withModelGate(call: StreamCall): Promise<StreamCall> {
    const plans = this.deps.models.plansFor(call.request.model)
    if (plans === null) return call
    const usable = await this.usablePlans(call.gates)
    if (usable.length > 0 && !usable.some((plan) => planCanUseModel(plan, plans))) {
      throw new ModelNotAvailableError(call.request.model, plans, usable)
    }
    return { ...call, gates: [...(call.gates ?? []), modelPlanGate(plans)] }
  }

  async #route<T>(
    routed: StreamCall,
    attemptFn: AttemptFn<T>,
    overflowFn?: OverflowAttemptFn<T>,
  ): Promise<T> {
    const { pool, clock, config } = this.deps
    const settings = await this.deps.settings.get()
    const overflow = this.#overflowRoute(routed, settings.overflowMode, overflowFn)
    const first = await overflow?.first()
    if (first) return first.value
    let call: StreamCall
    try {
      call = await this.#withModelGate(routed)
    } catch (err) {
      if (!(err instanceof ModelNotAvailableError)) throw err
      // No account's plan can use the model: overflow may still serve it, else the 400 stands.
      const served = await overflow?.fallback('no_accounts')
      if (served) return served.value
      const refused = explained(overflow, err)
      this.#logUnserved(routed, refused)
      throw refused
    }
    const slots = new RequestCapacity(this.deps.inFlight, {
      defaultCap: settings.accountMaxStreams,
      waitMs: settings.accountQueueWaitSeconds * 1000,
      signal: call.signal,
      aborted: () => new ClientClosedError(),
      shared: this.deps.sharedSlots,
    })
    const stickyKey = settings.stickyThreadsEnabled
      ? (call.request.promptCacheKey ?? sessionHeader(call.inbound))
      : undefined
    const tried = new Set<string>()
    const gates = [...(call.gates ?? []), headroomGate(headroomOf(settings))]
    let last: UpstreamFailure | undefined
    let lastPlan: string | undefined
    for (let n = 0; n < config.maxAttempts; n++) {
      const selection = await slots.select(pool, {
        stickyKey,
        preferAccountId: call.continuation?.accountId,
        exclude: tried,
        gates,
        preferEarlierReset: settings.preferEarlierResetAccounts,
        strategy: settings.routingStrategy,
        stickyTtlMs: settings.stickyTtlSeconds * 1000,
      })
      if (selection.kind === 'exhausted') {
        const served = await overflow?.fallback(selection.reason)
        if (served) return served.value
        // Every remaining account is only cooling down after the failures we just saw: the last
        // upstream answer says more than "try later" (all used up still answers 429 below).
        if (last && selection.reason === 'cooling_down') {
          throw explained(overflow, relayedUpstreamError(last, clock.now(), lastPlan))
        }
        const err = explained(overflow, exhaustedError(selection, clock.now(), planTypeOf(last)))
        // No attempt was made: one row still says why nobody served the request.
        if (!last && !overflow?.tried) this.#logUnserved(call, err)
        throw err
      }
      const id = selection.account.id
      if (last) this.deps.onFailover?.(last)
      tried.add(id)
      const result = await slots.holding((lease) => this.#tryAccount(id, call, attemptFn, lease))
      if (result.kind === 'opened') {
        void pool.recordSuccess(id)
        return result.value
      }
      last = result.failure
      lastPlan = selection.account.planType
    }
    // Out of attempts: the accounts failed this request, so overflow may still take it.
    const usedUp = last?.kind === 'usage_limit' || last?.kind === 'quota'
    const served = await overflow?.fallback(usedUp ? 'limited' : 'cooling_down')
    if (served) return served.value
    throw explained(overflow, relayedUpstreamError(last!, clock.now(), lastPlan))
  }

  #overflowRoute<T>(
    call: StreamCall,
    mode: OverflowMode | undefined,
    attemptFn: OverflowAttemptFn<T> | undefined,
  ): OverflowRoute<T> | undefined {
    const { overflow, clock, logs, log } = this.deps
    if (!overflow || !attemptFn || !mode || mode === 'off') return undefined
    return new OverflowRoute({ directory: overflow, clock, logs, log }, call, mode, attemptFn)
  }

  async #tryAccount<T>(
    id: string,
    call: StreamCall,
    attemptFn: AttemptFn<T>,
    lease: Lease,
  ): Promise<AccountResult<T>> {
    const { credentials, pool, clock } = this.deps
    let credential: UpstreamCredential
    try {
      credential = await credentials.ensureFresh(id)
    } catch (err) {
      return this.#refreshFailed(id, err)
    }
    for (let refreshed = false; ; refreshed = true) {
      const attempt = new AttemptRecorder(call.facts, id, clock, this.deps.logs)
      let outcome: Attempted<T>
      try {
        outcome = await attemptFn(credential, attempt)
      } catch (err) {
        attempt.finishThrown(err)
        throw err
      }
      if (outcome.kind === 'opened') {
        // The stream slot is held for as long as what opened lives (a relay, a WebSocket turn).
        attempt.onFinish(lease.release)
        return outcome
      }
      attempt.finish()
      const failure = outcome.failure
      if (failure.detail) {
        const where = { requestId: call.facts.requestId, accountId: id, code: failure.code }
        this.deps.log.warn({ ...where, detail: failure.detail }, failure.message)
      }
      if (failure.kind === 'client') throw relayedUpstreamError(failure, this.deps.clock.now())
      if (failure.kind === 'unauthorized' && !refreshed) {
        // An upstream 401: one shared refresh, then one more try on the same account.
        try {
          credential = await credentials.ensureFresh(id, { force: true })
        } catch (err) {
          return this.#refreshFailed(id, err)
        }
        continue
      }
      await pool.recordFailure(id, failure)
      return { kind: 'retry', failure }
    }
  }

  async #refreshFailed(
    id: string,
    err: unknown,
  ): Promise<{ kind: 'retry'; failure: UpstreamFailure }> {
    const failure = refreshFailure(err, this.deps.clock.now())
    this.deps.log.warn({ accountId: id, code: failure.code }, 'token refresh failed')
    // The accounts service already deactivated a permanently failed account; re-read it.
    if (failure.kind === 'auth_permanent') this.deps.pool.invalidate()
    await this.deps.pool.recordFailure(id, failure)
    return { kind: 'retry', failure }
  }

  #logUnserved(call: StreamCall, err: AppError): void {
    this.deps.logs.enqueue(unservedRow(call.facts, err, this.deps.clock.now()))
  }

  #input(call: StreamCall, credential: UpstreamCredential, body: string, accountId: string) {
    const live = this.deps.liveUsage
    return {
      signals: live && {
        onHeaders: (headers: Record<string, string | string[] | undefined>) =>
          void live.recordHeaders(accountId, headers),
        onRateLimits: (event: Record<string, unknown>) =>
          void live.recordRateLimits(accountId, event),
      },
      url: `${this.deps.config.baseUrl}/codex/responses`,
      body,
      requestId: call.facts.requestId,
      inbound: call.inbound,
      credential,
      signal: call.signal,
      maxEventBytes: this.deps.config.maxSseEventBytes,
    }
  }
}
