import { randomBytes, randomUUID } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import type { FastifyBaseLogger } from 'fastify'
import type { WebSocket } from 'ws'
import type { Clock } from '../../lib/clock.js'
import {
  PreviousResponseNotFoundError,
  portableInput,
  rebuildTurn,
} from '../conversations/rebuild.js'
import type { ConversationStore } from '../conversations/conversation-store.js'
import type { ProxyService, RequestAccess, StreamCall } from '../proxy/index.js'
import {
  ClientClosedError,
  parseResponsesRequest,
  relayStream,
  settleTicket,
} from '../proxy/index.js'
import { FrameSink } from './frame-sink.js'
import { failedFrame, keepaliveFrame, type CreateFrame } from './frames.js'

export interface TurnDeps {
  proxy: ProxyService
  conversations: ConversationStore
  clock: Clock
  keepaliveMs: number
}

/** What a turn knows of the client socket it arrived on. */
export interface TurnContext {
  socket: WebSocket
  /** Owner id of this socket's conversation record. */
  sessionId: string
  endpoint: string
  inbound: IncomingHttpHeaders
  access: RequestAccess
  log: FastifyBaseLogger
  /** Aborted when the client socket closes. */
  signal: AbortSignal
}

function send(socket: WebSocket, frame: string): void {
  if (socket.readyState === socket.OPEN) socket.send(frame)
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

  const ticket = await ctx.access.reserve(parsed.model)
  const historyItems = rebuilt?.historyItems ?? 0
  const owner = rebuilt?.previous.accountId ?? undefined
  const portable = owner ? portableInput(input, historyItems) : input
  const call: StreamCall = {
    request: parsed,
    facts: {
      requestId: randomUUID(),
      endpoint: ctx.endpoint,
      model: parsed.model,
      reasoningEffort: parsed.reasoningEffort,
      apiKeyId: ctx.access.apiKeyId,
      transport: 'websocket',
    },
    inbound: ctx.inbound,
    signal: ctx.signal,
    ...(owner
      ? { continuation: { accountId: owner, portableBody: { ...parsed.body, input: portable } } }
      : {}),
  }
  const heartbeat = setInterval(
    () => send(ctx.socket, keepaliveFrame(call.facts.requestId)),
    deps.keepaliveMs,
  )
  let opened
  try {
    opened = await deps.proxy.openStream(call)
  } catch (err) {
    await settleTicket(ticket, parsed.model, undefined, ctx.log)
    if (err instanceof ClientClosedError) return
    throw err
  } finally {
    clearInterval(heartbeat)
  }
  // ═══ Commit point: the first event goes to the client; from here trouble travels in-band. ═══
  const sink = new FrameSink(ctx.socket)
  let result
  try {
    result = await relayStream(opened, sink, call.facts.requestId, deps.clock, ctx.log)
  } finally {
    opened.attempt.finish()
    await settleTicket(ticket, parsed.model, result?.usage, ctx.log)
  }
  if (result.completed && sink.responseId) {
    const accountId = opened.attempt.accountId
    const sent = owner && accountId !== owner ? portable : input
    deps.conversations.remember({
      responseId: sink.responseId,
      ownerId: ctx.sessionId,
      accountId,
      input: sent,
      output: sink.output,
      bytes: sizeOf(sent) + sink.outputBytes,
    })
  }
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
