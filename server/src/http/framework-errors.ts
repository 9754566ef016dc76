import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
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
