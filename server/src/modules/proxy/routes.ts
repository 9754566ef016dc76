import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Clock } from '../../lib/clock.js'
import { chatRoutes, responsesBodyFromMessages } from '../chat/index.js'
import {
  continuationOf,
  rebuildTurn,
  rememberTurn,
  type Continuation,
  type ConversationStore,
} from '../conversations/index.js'
import { isRecord } from '../../lib/json.js'
import { modelRoutes, type ModelRegistry } from '../models/index.js'
import type { UsageService } from '../usage/index.js'
import type { ProxyAccessControl, UsageTicket } from './access.js'
import { finalResponse } from './collect.js'
import { accessGates } from './gates.js'
import { ClientClosedError } from './proxy-errors.js'
import type { ProxyService, StreamCall } from './proxy-service.js'
import { parseResponsesRequest, type ResponsesRequest } from './responses-request.js'
import { commitEventStream } from './commit.js'
import { relayStream } from './stream-relay.js'
import { settleTicket } from './settle.js'
import { clientFacts, type AttemptRecorder } from './attempt-recorder.js'

export interface ProxyRoutesOptions {
  /** `/v1` or `/backend-api/codex` (not `prefix`: Fastify would prefix the routes again). */
  surface: string
  proxy: ProxyService
  usage: UsageService
  models: ModelRegistry
  access: ProxyAccessControl
  clock: Clock
  /** Recent turns: a `previous_response_id` this server produced is rebuilt into a full request. */
  conversations: ConversationStore
}

/** Aborts when the client hangs up before we finished answering. */
function clientSignal(reply: FastifyReply): AbortSignal {
  const controller = new AbortController()
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort()
  })
  return controller.signal
}

/** The body's size on the wire, when that is its JSON size (not compressed, length known). */
function receivedBytes(request: FastifyRequest): number | undefined {
  if (request.headers['content-encoding']) return undefined
  const length = Number(request.headers['content-length'])
  return Number.isFinite(length) && length > 0 ? length : undefined
}

const settle = (
  ticket: UsageTicket,
  model: string,
  usage: Parameters<typeof settleTicket>[2],
  request: FastifyRequest,
  /** The attempt that served: its cost (an overflow upstream has its own prices). */
  served?: Pick<AttemptRecorder, 'costOf'>,
) => settleTicket(ticket, model, usage, request.log, served ? (u) => served.costOf(u) : undefined)

export async function proxyRoutes(scope: FastifyInstance, opts: ProxyRoutesOptions) {
  const { proxy, usage, models, access, clock, conversations } = opts
  const codexWire = opts.surface === '/backend-api/codex'
  scope.addHook('onRequest', access.onRequest)

  /**
   * Reserves against the key's limits and opens the upstream stream (selection, refresh, failover);
   * a failure releases the reservation. Undefined when the client left before anything was sent.
   */
  async function routeUpstream<T>(
    request: FastifyRequest,
    reply: FastifyReply,
    parsed: ResponsesRequest,
    run: (call: StreamCall) => Promise<T>,
    continuation?: Continuation,
  ): Promise<{ ticket: UsageTicket; value: T } | undefined> {
    const grant = access.accessFor(request)
    const ticket = await grant.reserve(parsed)
    const call: StreamCall = {
      request: parsed,
      facts: {
        requestId: request.id,
        endpoint: `${opts.surface}${request.routeOptions.url?.replace(opts.surface, '') ?? ''}`,
        model: parsed.model,
        reasoningEffort: parsed.reasoningEffort,
        apiKeyId: grant.apiKeyId,
        ...clientFacts(request.ip, request.headers['user-agent']),
      },
      inbound: request.headers,
      signal: clientSignal(reply),
      gates: accessGates(grant),
    }
    if (continuation) call.continuation = continuation
    try {
      return { ticket, value: await run(call) }
    } catch (err) {
      await settle(ticket, parsed.model, undefined, request)
      if (err instanceof ClientClosedError) {
        reply.hijack()
        return undefined
      }
      throw err
    }
  }

  const openUpstream = (request: FastifyRequest, reply: FastifyReply, parsed: ResponsesRequest) =>
    routeUpstream(request, reply, parsed, (call) => proxy.openStream(call))
  const collectUpstream = (
    request: FastifyRequest,
    reply: FastifyReply,
    parsed: ResponsesRequest,
    keepBytes: boolean,
  ) => routeUpstream(request, reply, parsed, (call) => proxy.collect(call, keepBytes))

  // Chat Completions and `messages` on /v1/responses are OpenAI-SDK wire only (reference §6.4).
  if (!codexWire) {
    await scope.register(chatRoutes, { usage, clock, openUpstream, collectUpstream, settle })
  }

  scope.post('/responses', async (request, reply) => {
    const raw = codexWire ? request.body : responsesBodyFromMessages(request.body)
    // A follow-up by `previous_response_id` to a turn still in memory is sent upstream in full.
    const rebuilt = isRecord(raw) ? rebuildTurn(raw, conversations) : undefined
    const parsed = parseResponsesRequest(rebuilt?.body ?? raw)
    const continuation = continuationOf(parsed.body, rebuilt)
    const remember = (accountId: string, output: Parameters<typeof rememberTurn>[1]['output']) =>
      rememberTurn(conversations, {
        ownerId: 'http',
        accountId,
        body: parsed.body,
        continuation,
        output,
        receivedBytes: receivedBytes(request),
        rebuiltFrom: rebuilt?.previous,
      })
    if (codexWire || parsed.clientWantsStream) {
      const upstream = await routeUpstream(
        request,
        reply,
        parsed,
        (call) => proxy.openStream(call),
        continuation,
      )
      if (!upstream) return
      const { ticket, value: opened } = upstream
      const headers = await usage.headers()
      // ═══ Commit point: the client gets a 200 now; from here trouble can only travel in-band. ═══
      commitEventStream(request, reply, headers)
      let result
      try {
        result = await relayStream(opened, reply.raw, request.id, clock, request.log)
      } finally {
        opened.attempt.finish()
        await settle(ticket, parsed.model, result?.usage, request, opened.attempt)
      }
      if (result.completed) remember(opened.attempt.accountId, opened.observer)
      return
    }
    // Not streaming: the whole upstream stream is read (with failover) before anything is sent.
    const upstream = await routeUpstream(
      request,
      reply,
      parsed,
      (call) => proxy.collect(call, false),
      continuation,
    )
    if (!upstream) return
    const { ticket, value: collected } = upstream
    let response
    try {
      response = finalResponse(collected)
    } finally {
      collected.attempt.finish()
      await settle(ticket, parsed.model, collected.observer.usage, request, collected.attempt)
    }
    if (collected.observer.terminal === 'response.completed') {
      remember(collected.attempt.accountId, collected.observer)
    }
    // ═══ Commit point: the one answer goes out whole. ═══
    return reply.headers(await usage.headers()).send(response)
  })

  scope.post('/responses/compact', async (request, reply) => {
    const parsed = parseResponsesRequest(request.body)
    const upstream = await routeUpstream(request, reply, parsed, (call) => proxy.compact(call))
    if (!upstream) return
    const { ticket, value: result } = upstream
    result.attempt.finish()
    await settle(ticket, parsed.model, result.attempt.recordedUsage, request)
    return reply.headers(await usage.headers()).send(result.body)
  })

  modelRoutes(scope, {
    models,
    allowedModelsFor: (request) => access.accessFor(request).allowedModels,
    usablePlansFor: (request) => proxy.usablePlans(accessGates(access.accessFor(request))),
    clock,
    codexWire,
  })
}
