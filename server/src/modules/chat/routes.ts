import type { ServerResponse } from 'node:http'
import type { Writable } from 'node:stream'
import { finished } from 'node:stream/promises'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Clock } from '../../lib/clock.js'
import type { UsageTicket } from '../proxy/access.js'
import { ClientClosedError } from '../proxy/proxy-errors.js'
import type { ProxyService, StreamCall } from '../proxy/proxy-service.js'
import { parseResponsesRequest, type ResponsesRequest } from '../proxy/responses-request.js'
import { relayStream } from '../proxy/stream-relay.js'
import type { OpenedStream } from '../proxy/upstream-attempt.js'
import type { TokenUsage } from '../request-logs/pricing.js'
import { translateChatRequest } from './chat-request.js'
import { ChatCollector, ChatSseSink } from './chat-sinks.js'
import { ChatStreamTranslator } from './chat-stream.js'

/**
 * The proxy scope's own steps, handed over so Chat reserves, builds its upstream call and settles
 * exactly as `/v1/responses` does (one copy of each, in proxy/routes.ts).
 */
export interface ChatRoutesOptions {
  proxy: ProxyService
  usage: { headers(): Promise<Record<string, string>> }
  clock: Clock
  open(
    request: FastifyRequest,
    reply: FastifyReply,
    parsed: ResponsesRequest,
  ): Promise<{ call: StreamCall; ticket: UsageTicket }>
  settle(
    ticket: UsageTicket,
    model: string,
    usage: TokenUsage | undefined,
    request: FastifyRequest,
  ): Promise<void>
}

/** relayStream writes, waits for drain/close and ends: the Writable surface of its target only. */
function relayTarget(sink: Writable): ServerResponse {
  return sink as unknown as ServerResponse
}

/**
 * `POST /v1/chat/completions`: translated to a Responses request, routed like any other (account
 * choice, refresh, failover before the first byte), and the upstream stream translated back to
 * Chat chunks as it arrives, or folded into one completion.
 */
export async function chatRoutes(scope: FastifyInstance, opts: ChatRoutesOptions) {
  const { proxy, usage, clock, open, settle } = opts

  async function relay(
    request: FastifyRequest,
    opened: OpenedStream,
    sink: ChatSseSink | ChatCollector,
    finish: (usage: TokenUsage | undefined) => Promise<void>,
  ) {
    let result
    try {
      result = await relayStream(opened, relayTarget(sink), request.id, clock)
    } finally {
      opened.attempt.finish()
      await finish(result?.usage)
    }
  }

  scope.post('/chat/completions', async (request, reply) => {
    const chat = translateChatRequest(request.body)
    const parsed = parseResponsesRequest(chat.responses)
    const { call, ticket } = await open(request, reply, parsed)
    let opened
    try {
      opened = await proxy.openStream(call)
    } catch (err) {
      await settle(ticket, parsed.model, undefined, request)
      if (err instanceof ClientClosedError) return reply.hijack()
      throw err
    }
    const headers = await usage.headers()
    const translator = new ChatStreamTranslator({
      id: `chatcmpl-${request.id}`,
      created: Math.floor(clock.now() / 1000),
      model: parsed.model,
      includeUsage: chat.includeUsage,
    })
    const finish = (used: TokenUsage | undefined) => settle(ticket, parsed.model, used, request)
    if (chat.stream) {
      // ═══ Commit point: the client gets a 200 now; from here trouble can only travel in-band. ═══
      reply.hijack()
      reply.raw.writeHead(200, {
        ...headers,
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        'x-request-id': request.id,
      })
      await relay(request, opened, new ChatSseSink(translator, reply.raw), finish)
      return
    }
    // Not streaming: nothing is sent before the end, so a failure is still an HTTP error (502/503).
    const collector = new ChatCollector(translator, reply.raw)
    await relay(request, opened, collector, finish)
    if (collector.destroyed) return reply.hijack()
    await finished(collector)
    return reply.headers(headers).send(collector.completion.build())
  })
}
