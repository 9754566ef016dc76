import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Clock } from '../../lib/clock.js'
import { chatRoutes, responsesBodyFromMessages } from '../chat/index.js'
import { modelRoutes, type ModelRegistry } from '../models/index.js'
import { costUsd } from '../request-logs/pricing.js'
import type { UsageService } from '../usage/index.js'
import type { ProxyAccessControl, UsageTicket } from './access.js'
import { finalResponse } from './collect.js'
import { ClientClosedError } from './proxy-errors.js'
import type { ProxyService, StreamCall } from './proxy-service.js'
import { parseResponsesRequest, type ResponsesRequest } from './responses-request.js'
import { commitEventStream } from './commit.js'
import { relayStream } from './stream-relay.js'
import { AppError } from '../../errors/index.js'

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

/** Waits between settlement retries; after the last one the reservation sweeper releases it. */
const SETTLE_RETRY_MS = [1000, 2000, 4000, 8000, 16000, 30000]

/**
 * Settles the API-key reservation with the actual usage (releases it when none is known). Never
 * fails the response: a database error is retried in the background, and settling is exactly-once
 * by its conditional updates, so a retry of one that did land is a no-op.
 */
async function settle(
  ticket: UsageTicket,
  model: string,
  usage: Parameters<typeof costUsd>[1] | undefined,
  request: FastifyRequest,
) {
  const run = () =>
    usage ? ticket.settle({ ...usage, costUsd: costUsd(model, usage) }) : ticket.release()
  try {
    await run()
  } catch (err) {
    request.log.warn({ err }, 'API key usage settlement failed; retrying in the background')
    retrySettle(run, request.log, 0)
  }
}

function retrySettle(run: () => Promise<void>, log: FastifyBaseLogger, attempt: number): void {
  const delay = SETTLE_RETRY_MS[attempt]
  if (delay === undefined) {
    log.error('API key usage settlement gave up; the reservation sweeper will release it')
    return
  }
  setTimeout(() => {
    run().catch(() => retrySettle(run, log, attempt + 1))
  }, delay).unref()
}

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

  // The Codex CLI tries a websocket first when configured to; 426 makes it fall back to HTTP at once.
  scope.get('/responses', async () => {
    throw new AppError('Use POST over HTTP; websocket transport is not available', {
      status: 426,
      code: 'upgrade_required',
      headers: { upgrade: 'HTTP/1.1' },
    })
  })

  modelRoutes(scope, {
    models,
    allowedModelsFor: (request) => access.accessFor(request).allowedModels,
    clock,
    codexWire,
  })
}
