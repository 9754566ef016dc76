/**
 * Domain errors: each carries an HTTP status and a stable code. Route handlers throw these and never
 * build error JSON; each route scope's envelope formatter (envelopes/) turns them into bodies.
 */
export type OpenAiErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'rate_limit_error'
  | 'server_error'
  | 'not_found_error'

export interface AppErrorOptions {
  status: number
  code: string
  /** OpenAI `type`; derived from the status when absent. Upstream types (e.g. usage_limit_reached)
   * are relayed as they came. */
  type?: OpenAiErrorType | (string & {})
  param?: string
  headers?: Record<string, string>
  /** Extra fields for the OpenAI error object (e.g. `resets_at`, `plan_type` the Codex CLI reads). */
  details?: Record<string, unknown>
  cause?: unknown
}

export class AppError extends Error {
  readonly status: number
  readonly code: string
  readonly type: OpenAiErrorType | (string & {})
  readonly param: string | undefined
  readonly headers: Record<string, string>
  readonly details: Record<string, unknown>

  constructor(message: string, options: AppErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
    this.status = options.status
    this.code = options.code
    this.type = options.type ?? openAiTypeForStatus(options.status)
    this.param = options.param
    this.headers = options.headers ?? {}
    this.details = options.details ?? {}
  }
}

export function openAiTypeForStatus(status: number): OpenAiErrorType {
  if (status === 401) return 'authentication_error'
  if (status === 403) return 'permission_error'
  if (status === 404) return 'invalid_request_error'
  if (status === 429) return 'rate_limit_error'
  if (status >= 500) return 'server_error'
  return 'invalid_request_error'
}

export class BadRequestError extends AppError {
  constructor(message: string, code = 'invalid_request_error', param?: string) {
    super(message, { status: 400, code, ...(param === undefined ? {} : { param }) })
  }
}

export class ValidationError extends AppError {
  constructor(message: string, param?: string, status = 400) {
    super(message, {
      status,
      code: status === 422 ? 'validation_error' : 'invalid_request_error',
      ...(param === undefined ? {} : { param }),
    })
  }
}

export class AuthenticationError extends AppError {
  constructor(message: string, code = 'authentication_required') {
    super(message, { status: 401, code })
  }
}

export class PermissionError extends AppError {
  constructor(message: string, code = 'permission_denied') {
    super(message, { status: 403, code })
  }
}

export class NotFoundError extends AppError {
  constructor(message: string, code = 'not_found') {
    super(message, { status: 404, code })
  }
}

export class ConflictError extends AppError {
  constructor(message: string, code = 'conflict') {
    super(message, { status: 409, code })
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message = 'Request body is too large') {
    super(message, { status: 413, code: 'payload_too_large' })
  }
}

export class RateLimitError extends AppError {
  constructor(message: string, code = 'rate_limit_exceeded', retryAfterSeconds?: number) {
    super(message, {
      status: 429,
      code,
      ...(retryAfterSeconds === undefined
        ? {}
        : { headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) } }),
    })
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(message: string, code = 'service_unavailable') {
    super(message, { status: 503, code, type: 'server_error' })
  }
}

export class UpstreamError extends AppError {
  constructor(message: string, code = 'upstream_error', status = 502) {
    super(message, { status, code, type: 'server_error' })
  }
}

export class InternalError extends AppError {
  constructor(message = 'Internal server error', cause?: unknown) {
    super(message, { status: 500, code: 'internal_error', type: 'server_error', cause })
  }
}
