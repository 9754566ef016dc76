import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify'
import {
  AppError,
  NotFoundError,
  dashboardEnvelope,
  openAiEnvelope,
  toAppError,
} from '../errors/index.js'
import { errorLogLevel } from './logger.js'

type Envelope = (err: AppError) => unknown

function installErrorHandler(
  scope: FastifyInstance,
  envelope: Envelope,
  validationStatus: 400 | 422,
): void {
  scope.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const appError = toAppError(error, validationStatus)
    const level = errorLogLevel(appError.status)
    if (level === 'error') request.log.error({ err: error }, 'request failed')
    else request.log[level]({ code: appError.code, status: appError.status }, appError.message)
    if (reply.sent || reply.raw.headersSent) return
    void reply.status(appError.status).headers(appError.headers).send(envelope(appError))
  })
}

const METHODS: readonly HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']

/**
 * What Fastify calls "not found" is either an unknown path or a known path under another method.
 * The router (not the path text) tells them apart: 405 with `Allow` when some other method matches.
 */
export function unmatchedRouteError(scope: FastifyInstance, request: FastifyRequest): AppError {
  const path = request.url.split('?')[0] ?? '/'
  const allowed = METHODS.filter(
    (method) => method !== request.method && scope.findRoute({ method, url: path }) !== null,
  )
  if (allowed.length === 0) return new NotFoundError(`No route for ${request.method} ${path}`)
  return new AppError(`Method ${request.method} is not allowed for ${path}`, {
    status: 405,
    code: 'method_not_allowed',
    headers: { allow: allowed.join(', ') },
  })
}

/** Sends an unmatched-route answer (404 or 405) in `envelope`. */
export function sendUnmatched(
  scope: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  envelope: Envelope,
): FastifyReply {
  const err = unmatchedRouteError(scope, request)
  return reply.status(err.status).headers(err.headers).send(envelope(err))
}

function install(scope: FastifyInstance, envelope: Envelope, validationStatus: 400 | 422): void {
  installErrorHandler(scope, envelope, validationStatus)
  scope.setNotFoundHandler((request, reply) => sendUnmatched(scope, request, reply, envelope))
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
