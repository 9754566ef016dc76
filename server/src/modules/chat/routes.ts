import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Clock } from '../../lib/clock.js'
import type { UsageTicket } from '../proxy/access.js'
import type { CollectedStream } from '../proxy/collect.js'
import { commitEventStream, type OpenedUpstream } from '../proxy/commit.js'
import { parseResponsesRequest, type ResponsesRequest } from '../proxy/responses-request.js'
import { relayStream } from '../proxy/stream-relay.js'
import type { OpenedStream } from '../proxy/upstream-attempt.js'
import type { TokenUsage } from '../request-logs/pricing.js'
import { translateChatRequest } from './chat-request.js'
import { ChatSseSink, foldChatCompletion } from './chat-sinks.js'
import { ChatStreamTranslator } from './chat-stream.js'

/**
 * The proxy scope's own steps, handed over so Chat reserves, builds its upstream call and settles
 * exactly as `/v1/responses` does (one copy of each, in proxy/routes.ts).
 */
export interface ChatRoutesOptions {
  usage: { headers(): Promise<Record<string, string>> }
  clock: Clock
  /** The proxy's own open: reserve, route with failover, release on failure (undefined: client left). */
  openUpstream(
    request: FastifyRequest,
    reply: FastifyReply,
    parsed: ResponsesRequest,
  ): Promise<OpenedUpstream | undefined>
  /** The same, reading the whole stream before anything is sent (failover covers a drop too). */
  collectUpstream(
    request: FastifyRequest,
    reply: FastifyReply,
    parsed: ResponsesRequest,
    keepBytes: boolean,
  ): Promise<{ ticket: UsageTicket; value: CollectedStream } | undefined>
  settle(
    ticket: UsageTicket,
    model: string,
    usage: TokenUsage | undefined,
    request: FastifyRequest,
    /** The attempt that served, for its cost (an overflow upstream has its own prices). */
    served?: { costOf(usage: TokenUsage): number | undefined },
  ): Promise<void>
}

/**
 * `POST /v1/chat/completions`: translated to a Responses request, routed like any other (account
 * choice, refresh, failover before the first byte), and the upstream stream translated back to
 * Chat chunks as it arrives, or folded into one completion.
 */
export async function chatRoutes(scope: FastifyInstance, opts: ChatRoutesOptions) {
  const { usage, clock, openUpstream, collectUpstream, settle } = opts

  scope.post('/chat/completions', async (request, reply) => {
    const chat = translateChatRequest(request.body)
    const parsed = parseResponsesRequest(chat.responses)
    const translator = new ChatStreamTranslator({
      id: `chatcmpl-${request.id}`,
      created: Math.floor(clock.now() / 1000),
      model: parsed.model,
      includeUsage: chat.includeUsage,
    })
    if (chat.stream) {
      const upstream = await openUpstream(request, reply, parsed)
      if (!upstream) return
      const { ticket, value: opened } = upstream
      const headers = await usage.headers()
      // ═══ Commit point: the client gets a 200 now; from here trouble can only travel in-band. ═══
      commitEventStream(request, reply, headers)
      await relayToClient(request, opened, new ChatSseSink(translator, reply.raw), (used) =>
        settle(ticket, parsed.model, used, request, opened.attempt),
      )
      return
    }
    // Not streaming: the whole upstream stream is read (with failover) before anything is sent.
    const upstream = await collectUpstream(request, reply, parsed, true)
    if (!upstream) return
    const { ticket, value: collected } = upstream
    let completion
    try {
      completion = foldChatCompletion(translator, collected.bytes)
    } finally {
      collected.attempt.finish()
      await settle(ticket, parsed.model, collected.observer.usage, request, collected.attempt)
    }
    // ═══ Commit point: the one answer goes out whole. ═══
    return reply.headers(await usage.headers()).send(completion)
  })

  async function relayToClient(
    request: FastifyRequest,
    opened: OpenedStream,
    sink: ChatSseSink,
    finish: (usage: TokenUsage | undefined) => Promise<void>,
  ) {
    let result
    try {
      result = await relayStream(opened, sink, request.id, clock, request.log)
    } finally {
      opened.attempt.finish()
      await finish(result?.usage)
    }
  }
}
