import { isDatabaseUnavailable } from './database-unavailable.js'
import { AppError, PayloadTooLargeError, ValidationError } from './errors.js'

interface FrameworkError {
  code?: string
  statusCode?: number
  message?: string
  validation?: ReadonlyArray<{ instancePath?: string; message?: string }>
}

function isFrameworkError(err: unknown): err is FrameworkError {
  return typeof err === 'object' && err !== null
}

/**
 * Turns anything thrown inside a route (domain error, Fastify/zod/ajv error, bug) into an AppError.
 * Unknown errors become a 500 with a generic message: their text may hold secrets.
 */
export function toAppError(err: unknown, validationStatus: 400 | 422): AppError {
  if (err instanceof AppError) return err
  if (!isFrameworkError(err))
    return new AppError('Internal server error', { status: 500, code: 'internal_error' })
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.statusCode === 413) {
    return new PayloadTooLargeError()
  }
  if (err.validation) {
    const first = err.validation[0]
    const param = first?.instancePath?.replace(/^\//, '').replace(/\//g, '.') || undefined
    return new ValidationError(
      first?.message ? `Invalid request payload: ${first.message}` : 'Invalid request payload',
      param,
      validationStatus,
    )
  }
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new AppError('Unsupported content type', { status: 415, code: 'unsupported_media_type' })
  }
  if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    // Like any other invalid body: 422 on /api (as the original answered), 400 on the OpenAI routes.
    return new ValidationError('Request body is not valid JSON', undefined, validationStatus)
  }
  const status = err.statusCode
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new AppError(err.message ?? 'Request failed', { status, code: `http_${status}` })
  }
  if (isDatabaseUnavailable(err)) {
    return new AppError('The database is unavailable; try again shortly', {
      status: 503,
      code: 'database_unavailable',
      headers: { 'retry-after': '2' },
      cause: err,
    })
  }
  return new AppError('Internal server error', { status: 500, code: 'internal_error', cause: err })
}
