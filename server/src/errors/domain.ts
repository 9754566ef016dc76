import { AppError } from './errors.js'

/*
 * The auth / API-key / dashboard catalogue (seed 000 §1.1 and what the dashboard needs besides). The
 * envelope is chosen by the route scope that catches the error (http/error-scopes.ts): the Proxy*
 * classes are thrown on /v1 and /backend-api/codex, the Dashboard* ones on /api.
 */

/** 401 on proxy routes: missing, unknown, inactive or expired API key. */
export class ProxyAuthError extends AppError {
  constructor(message: string, code = 'invalid_api_key') {
    super(message, { status: 401, code, type: 'authentication_error' })
  }
}

/** 403: the API key may not use the requested model. */
export class ProxyModelNotAllowed extends AppError {
  constructor(model: string) {
    super(`This API key does not have access to model '${model}'`, {
      status: 403,
      code: 'model_not_allowed',
      type: 'permission_error',
    })
  }
}

/**
 * 429: an API-key limit that applies to this request is used up. `Retry-After` (whole seconds, at
 * least 1) when the wait is known, so SDKs do not retry a limit that lasts until tomorrow.
 */
export class ProxyRateLimitError extends AppError {
  constructor(message: string, code = 'rate_limit_exceeded', retryAfterSeconds?: number) {
    super(message, {
      status: 429,
      code,
      type: 'rate_limit_error',
      ...(retryAfterSeconds === undefined
        ? {}
        : { headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) } }),
    })
  }
}

/** 401: no dashboard session, or one that lacks a required factor (`totp_required`). */
export class DashboardAuthError extends AppError {
  constructor(message = 'Authentication is required', code = 'authentication_required') {
    super(message, { status: 401, code })
  }
}

export class DashboardNotFoundError extends AppError {
  constructor(message: string, code = 'not_found') {
    super(message, { status: 404, code })
  }
}

export class DashboardConflictError extends AppError {
  constructor(message: string, code = 'conflict') {
    super(message, { status: 409, code })
  }
}

export class DashboardBadRequestError extends AppError {
  constructor(message: string, code = 'bad_request') {
    super(message, { status: 400, code })
  }
}

/** 403: a state-changing request that a browser sent from another origin. */
export class DashboardForbiddenError extends AppError {
  constructor(message: string, code = 'forbidden') {
    super(message, { status: 403, code })
  }
}

/** 403 on any route: the client's network is not in the allowlist for this part of the server. */
export class NetworkNotAllowedError extends AppError {
  constructor(area: 'proxy' | 'dashboard') {
    const what = area === 'proxy' ? 'the proxy' : 'the dashboard'
    super(`Your network is not allowed to use ${what}`, {
      status: 403,
      code: 'network_not_allowed',
      type: 'permission_error',
    })
  }
}

/** 429 with `Retry-After` (whole seconds, at least 1): too many failed password or TOTP attempts. */
export class DashboardRateLimitError extends AppError {
  constructor(retryAfterSeconds: number, code = 'rate_limited') {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds))
    super(`Too many attempts. Try again in ${seconds} seconds.`, {
      status: 429,
      code,
      headers: { 'retry-after': String(seconds) },
    })
  }
}
