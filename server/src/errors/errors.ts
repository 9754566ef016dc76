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

export class NotFoundError extends AppError {
  constructor(message: string, code = 'not_found') {
    super(message, { status: 404, code })
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message = 'Request body is too large') {
    super(message, { status: 413, code: 'payload_too_large' })
  }
}
