import { randomBytes, randomUUID } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import type { FastifyBaseLogger } from 'fastify'
import type { WebSocket } from 'ws'
import type { Clock } from '../../lib/clock.js'
import {
  PreviousResponseNotFoundError,
  continuationOf,
  rebuildTurn,
  rememberTurn,
  type ConversationStore,
} from '../conversations/index.js'
import type { ProxyService, RequestAccess, RequestFacts, StreamCall } from '../proxy/index.js'
import {
  ClientClosedError,
  accessGates,
  parseResponsesRequest,
  relayStream,
  settleTicket,
} from '../proxy/index.js'
import type { OpenedStream } from '../proxy/upstream-attempt.js'
import { TurnActivity } from './activity.js'
import { sendText } from './client-send.js'
import { FrameSink } from './frame-sink.js'
import { relayFrames } from './frame-relay.js'
import { failedFrame, inProgressFrame, keepaliveFrame, type CreateFrame } from './frames.js'
import type { OpenedTurn, UpstreamLink } from './upstream-link.js'

export interface TurnDeps {
  proxy: ProxyService
  conversations: ConversationStore
  clock: Clock
  keepaliveMs: number
  /** Longest silence inside an upstream WebSocket turn. */
  upstreamIdleMs: number
  /** A `codex.rate_limits` event passed by: the account's usage windows learn from it. */
  onRateLimits(accountId: string, event: Record<string, unknown>): void
}

/** How this client socket reaches the backend: its WebSocket link, until the backend refuses one. */
export interface UpstreamTransport {
  link: UpstreamLink | undefined
  fallBackToHttp(): void
}

/** A turn past its first event, over either upstream transport. */
type Opened = { kind: 'ws'; turn: OpenedTurn } | { kind: 'sse'; stream: OpenedStream }

/** What a turn knows of the client socket it arrived on. */
export interface TurnContext {
  socket: WebSocket
  /** Owner id of this socket's conversation record. */
  sessionId: string
  endpoint: string
  inbound: IncomingHttpHeaders
  /** The upgrade request's address and User-Agent, logged on every turn's row. */
  client: Pick<RequestFacts, 'clientIp' | 'userAgent'>
  access: RequestAccess
  log: FastifyBaseLogger
  /** Aborted when the client socket closes. */
  signal: AbortSignal
  upstream: UpstreamTransport
}

function send(socket: WebSocket, frame: string): void {
  if (socket.readyState === socket.OPEN) sendText(socket, frame)
}

/** Rough size of what the record keeps for a turn (the request is serialized anyway to send). */
function sizeOf(value: unknown): number {
  return JSON.stringify(value).length
}

/**
 * One `response.create`, routed like an HTTP request: rebuilt into a full turn from the record,
 * reserved against the key, sent through the proxy's selection and failover, relayed as text
 * frames, and remembered when it completes. Errors before the first event are thrown for the
 * session to send as a wrapped error frame; after that they travel in-band as `response.failed`.
 */
export async function runTurn(frame: CreateFrame, ctx: TurnContext, deps: TurnDeps): Promise<void> {
  let rebuilt
  try {
    rebuilt = rebuildTurn(frame.body, deps.conversations, ctx.sessionId)
  } catch (err) {
    // A record dropped under the memory cap: `response.failed` with this code makes the CLI
    // retry with its full history, where the status-400 error frame would end the turn.
    if (!(err instanceof PreviousResponseNotFoundError && err.reason === 'unknown')) throw err
    send(ctx.socket, failedFrame(randomUUID(), err.code, err.message, deps.clock.now()))
    return
  }
  const parsed = parseResponsesRequest(rebuilt?.body ?? frame.body)
  const input = parsed.body['input'] as unknown[]
  if (frame.prewarm) return prewarm(ctx, deps, input)

  const ticket = await ctx.access.reserve(parsed)
  const continuation = continuationOf(parsed.body, rebuilt)
  const call: StreamCall = {
    request: parsed,
    facts: {
      requestId: randomUUID(),
      endpoint: ctx.endpoint,
      model: parsed.model,
      reasoningEffort: parsed.reasoningEffort,
      apiKeyId: ctx.access.apiKeyId,
      transport: 'websocket',
      ...ctx.client,
    },
    inbound: ctx.inbound,
    signal: ctx.signal,
    gates: accessGates(ctx.access),
    ...(continuation ? { continuation } : {}),
  }
  const bodyFor = (accountId: string) =>
    continuation && accountId !== continuation.accountId ? continuation.portableBody : parsed.body
  const incremental = rebuilt
    ? { anchor: rebuilt.previous.responseId, items: input.slice(rebuilt.historyItems) }
    : undefined
  const activity = new TurnActivity()
  const heartbeat = startHeartbeat(ctx.socket, activity, call.facts.requestId, deps.keepaliveMs)
  let opened: Opened
  try {
    opened = await deps.proxy.route<Opened>(
      call,
      async (credential, attempt) => {
        const body = bodyFor(attempt.accountId)
        // The upstream WebSocket (`ws`) cannot go through an egress proxy's dispatcher: an account
        // behind one is served over HTTP SSE for this turn, as when the upstream refuses the upgrade.
        const link = credential.egressProxy ? undefined : ctx.upstream.link
        if (link) {
          const payload = {
            full: body,
            incremental: body === parsed.body ? incremental : undefined,
          }
          const requestId = call.facts.requestId
          const r = await link.attempt(
            attempt.accountId,
            credential,
            payload,
            attempt,
            requestId,
            ctx.signal,
            (event) => deps.onRateLimits(attempt.accountId, event),
          )
          if (r.kind !== 'refused')
            return r.kind === 'opened'
              ? { kind: 'opened', value: { kind: 'ws', turn: r.value } }
              : r
          // The backend has no WebSocket here: this client socket is served over HTTP from now on.
          ctx.upstream.fallBackToHttp()
        }
        const sse = await deps.proxy.attemptSse(call, credential, attempt, JSON.stringify(body))
        return sse.kind === 'opened'
          ? { kind: 'opened', value: { kind: 'sse', stream: sse.value } }
          : sse
      },
      async (target, attempt) => {
        // An overflow upstream is served over HTTP SSE (its public Responses API).
        const sse = await deps.proxy.attemptOverflowSse(call, target, attempt)
        return sse.kind === 'opened'
          ? { kind: 'opened', value: { kind: 'sse', stream: sse.value } }
          : sse
      },
    )
  } catch (err) {
    clearInterval(heartbeat)
    await settleTicket(ticket, parsed.model, undefined, ctx.log)
    if (err instanceof ClientClosedError) return
    throw err
  }
  // ═══ Commit point: the first event goes to the client; from here trouble travels in-band. ═══
  const { attempt, observer } = opened.kind === 'ws' ? opened.turn : opened.stream
  activity.observer = observer
  let result
  try {
    result =
      opened.kind === 'ws'
        ? await relayFrames(opened.turn, ctx.socket, activity, {
            requestId: call.facts.requestId,
            clock: deps.clock,
            idleTimeoutMs: deps.upstreamIdleMs,
            signal: ctx.signal,
            onRateLimits: (event) => deps.onRateLimits(attempt.accountId, event),
          })
        : await relayStream(
            opened.stream,
            new FrameSink(ctx.socket, activity),
            call.facts.requestId,
            deps.clock,
            ctx.log,
          )
  } finally {
    clearInterval(heartbeat)
    attempt.finish()
    await settleTicket(ticket, parsed.model, result?.usage, ctx.log, (u) => attempt.costOf(u))
  }
  if (result.completed) {
    const accountId = attempt.accountId
    const turn = {
      ownerId: ctx.sessionId,
      accountId,
      body: parsed.body,
      continuation,
      output: observer,
    }
    rememberTurn(deps.conversations, turn)
  }
}

/**
 * Application heartbeats for as long as the turn runs: the CLI's idle timer ignores pings, so a
 * silence (waiting for an account, or a model thinking) is filled with frames it skips.
 */
function startHeartbeat(
  socket: WebSocket,
  activity: TurnActivity,
  requestId: string,
  everyMs: number,
): NodeJS.Timeout {
  return setInterval(
    () => {
      if (performance.now() - activity.lastFrameAt < everyMs) return
      const id = activity.responseId
      send(socket, id ? inProgressFrame(id) : keepaliveFrame(requestId))
      activity.touch()
    },
    Math.max(10, everyMs / 2),
  )
}

/**
 * `generate: false` only opens the session for the CLI: answered here, without an upstream call or
 * a charge, and remembered so the first real turn (anchored on it) rebuilds to its full input.
 */
function prewarm(ctx: TurnContext, deps: TurnDeps, input: unknown[]): void {
  const id = `resp_${randomBytes(16).toString('hex')}`
  const response = {
    id,
    object: 'response',
    created_at: Math.floor(deps.clock.now() / 1000),
    status: 'in_progress',
    output: [],
  }
  send(ctx.socket, JSON.stringify({ type: 'response.created', response }))
  const completed = { ...response, status: 'completed', usage: null }
  send(ctx.socket, JSON.stringify({ type: 'response.completed', response: completed }))
  deps.conversations.remember({
    responseId: id,
    ownerId: ctx.sessionId,
    accountId: null,
    input,
    output: [],
    bytes: sizeOf(input),
  })
}
