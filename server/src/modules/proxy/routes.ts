import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Clock } from '../../lib/clock.js'
import { chatRoutes, responsesBodyFromMessages } from '../chat/index.js'
import { modelRoutes, type ModelRegistry } from '../models/index.js'
import type { UsageService } from '../usage/index.js'
import type { ProxyAccessControl, UsageTicket } from './access.js'
import { finalResponse } from './collect.js'
import { ClientClosedError } from './proxy-errors.js'
import type { ProxyService, StreamCall } from './proxy-service.js'
import { parseResponsesRequest, type ResponsesRequest } from './responses-request.js'
import { commitEventStream } from './commit.js'
import { relayStream } from './stream-relay.js'
import { settleTicket } from './settle.js'

export interface ProxyRoutesOptions {
  /** `/v1` or `/backend-api/codex` (not `prefix`: Fastify would prefix the routes again). */
  surface: string
  proxy: ProxyService
  usage: UsageService
  models: ModelRegistry
  access: ProxyAccessControl
  clock: Clock
}

/** Aborts when the client hangs up before we finished answering. */
function clientSignal(reply: FastifyReply): AbortSignal {
  const controller = new AbortController()
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort()
  })
  return controller.signal
}

const settle = (
  ticket: UsageTicket,
  model: string,
  usage: Parameters<typeof settleTicket>[2],
  request: FastifyRequest,
) => settleTicket(ticket, model, usage, request.log)

export async function proxyRoutes(scope: FastifyInstance, opts: ProxyRoutesOptions) {
  const { proxy, usage, models, access, clock } = opts
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
  ): Promise<{ ticket: UsageTicket; value: T } | undefined> {
    const grant = access.accessFor(request)
    const ticket = await grant.reserve(parsed.model)
    const call = {
      request: parsed,
      facts: {
        requestId: request.id,
        endpoint: `${opts.surface}${request.routeOptions.url?.replace(opts.surface, '') ?? ''}`,
        model: parsed.model,
        reasoningEffort: parsed.reasoningEffort,
        apiKeyId: grant.apiKeyId,
      },
      inbound: request.headers,
      signal: clientSignal(reply),
    }
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
    const parsed = parseResponsesRequest(
      codexWire ? request.body : responsesBodyFromMessages(request.body),
    )
    if (codexWire || parsed.clientWantsStream) {
      const upstream = await openUpstream(request, reply, parsed)
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
        await settle(ticket, parsed.model, result?.usage, request)
      }
      return
    }
    // Not streaming: the whole upstream stream is read (with failover) before anything is sent.
    const upstream = await collectUpstream(request, reply, parsed, false)
    if (!upstream) return
    const { ticket, value: collected } = upstream
    let response
    try {
      response = finalResponse(collected)
    } finally {
      collected.attempt.finish()
      await settle(ticket, parsed.model, collected.observer.usage, request)
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
    clock,
    codexWire,
  })
}
