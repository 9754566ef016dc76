import type { FastifyReply, FastifyRequest } from 'fastify'
import type { UsageTicket } from './access.js'
import type { OpenedStream } from './upstream-attempt.js'

/** An upstream stream opened for a request, with the reservation to settle when it ends. */
export interface OpenedUpstream {
  ticket: UsageTicket
  value: OpenedStream
}

/** Sends the 200 and SSE headers: after this the only way to report trouble is in-band. */
export function commitEventStream(
  request: FastifyRequest,
  reply: FastifyReply,
  headers: Record<string, string>,
): void {
  reply.hijack()
  reply.raw.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-request-id': request.id,
  })
}
