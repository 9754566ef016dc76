import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AppError } from '../errors/index.js'
import { NotFoundError, dashboardEnvelope, openAiEnvelope, toAppError } from '../errors/index.js'

type Envelope = (err: AppError) => unknown

function installErrorHandler(
  scope: FastifyInstance,
  envelope: Envelope,
  validationStatus: 400 | 422,
): void {
  scope.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const appError = toAppError(error, validationStatus)
    if (appError.status >= 500) request.log.error({ err: error }, 'request failed')
    else request.log.info({ code: appError.code, status: appError.status }, appError.message)
    if (reply.sent || reply.raw.headersSent) return
    void reply.status(appError.status).headers(appError.headers).send(envelope(appError))
  })
}

function install(scope: FastifyInstance, envelope: Envelope, validationStatus: 400 | 422): void {
  installErrorHandler(scope, envelope, validationStatus)
  scope.setNotFoundHandler((request, reply) => {
    const err = new NotFoundError(`No route for ${request.method} ${request.url.split('?')[0]}`)
    void reply.status(404).send(envelope(err))
  })
}

/** OpenAI envelope for /v1 and /backend-api: validation errors are 400 with `param`. */
export function installOpenAiErrorScope(scope: FastifyInstance): void {
  install(scope, openAiEnvelope, 400)
}

/** Dashboard envelope for /api: validation errors are 422 `validation_error`. */
export function installDashboardErrorScope(scope: FastifyInstance): void {
  install(scope, dashboardEnvelope, 422)
}

/** Root scope (health, static files): only errors; unknown paths are the static plugin's concern. */
export function installRootErrorHandler(scope: FastifyInstance): void {
  installErrorHandler(scope, openAiEnvelope, 400)
}
