import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { ConnectionError, FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { AppError, dashboardEnvelope, openAiEnvelope } from '../errors/index.js'

/** The envelope of the scope `url` falls in (app.ts): /api is the dashboard's, but /api/codex. */
export function envelopeForUrl(url: string): (err: AppError) => unknown {
  const dashboard = /^\/api(?:[/?]|$)/.test(url) && !/^\/api\/codex(?:[/?]|$)/.test(url)
  return dashboard ? dashboardEnvelope : openAiEnvelope
}

/**
 * Fastify's router refuses some URLs before any scope exists (a path parameter longer than
 * maxParamLength, a malformed percent-escape) and would answer in its own body; this gives the
 * same status in the envelope of the path's scope. The path itself is not echoed: it may be huge.
 */
export function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const err =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new AppError('A path parameter is too long', { status: 414, code: 'uri_too_long' })
      : error.code === 'FST_ERR_BAD_URL'
        ? new AppError('The URL is not valid', { status: 400, code: 'invalid_url' })
        : new AppError('The request could not be routed', {
            status: error.statusCode ?? 400,
            code: 'invalid_request_error',
          })
  void reply.status(err.status).send(envelopeForUrl(request.url)(err))
}

/** What Node's HTTP parser refused, as Fastify's default client-error handler tells them apart. */
function clientErrorOf(code: string | undefined): AppError {
  if (code === 'HPE_HEADER_OVERFLOW') {
    return new AppError('Request headers are too large', {
      status: 431,
      code: 'request_header_fields_too_large',
    })
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return new AppError('The request took too long to arrive', {
      status: 408,
      code: 'request_timeout',
    })
  }
  return new AppError('The request could not be parsed', { status: 400, code: 'bad_request' })
}

/**
 * Node refuses a request it cannot parse (headers past 16 kB, a broken request line) before
 * Fastify routes it; Fastify's default answer is its own body. This one is the same status in
 * our envelope, chosen by the path of the request line when the received bytes show it.
 */
export function answerClientError(err: ConnectionError, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const error = clientErrorOf(err.code)
  // Typed as a JSON'd Buffer, but Node hands the Buffer itself.
  const raw = err.rawPacket as unknown as Buffer | undefined
  const path = /^[A-Z]+ (\S+)/.exec(raw?.subarray(0, 2048).toString('latin1') ?? '')?.[1]
  const body = JSON.stringify(envelopeForUrl(path ?? '/')(error))
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? ''}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\n` +
        `Connection: close\r\n\r\n${body}`,
    )
  }
  socket.destroy(err)
}
