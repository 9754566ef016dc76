import { AppError, NotFoundError } from '../../errors/index.js'

/**
 * The auth server refused or failed a sign-in request. `code` is its OAuth error code (RFC 6749
 * §5.2, e.g. `invalid_grant`) or one of ours (`invalid_token_response`, `auth_server_unreachable`);
 * the dashboard gets 502 because the failure is upstream of us.
 */
export class OAuthUpstreamError extends AppError {
  constructor(message: string, code: string) {
    super(message, { status: 502, code, type: 'server_error' })
  }
}

/**
 * A callback or pasted redirect URL that cannot complete a sign-in: unknown or used state, no code,
 * or an `error=` from the authorize endpoint. Nothing is stored.
 */
export class OAuthCallbackError extends AppError {
  constructor(message: string, code: string, status = 400) {
    super(message, { status, code })
  }
}

/** A sign-in that ended without an account for a reason of ours (expiry, too many at once). */
export class OAuthFlowError extends AppError {
  constructor(message: string, code: string) {
    super(message, { status: 409, code })
  }
}

export class OAuthFlowNotFoundError extends NotFoundError {
  constructor() {
    super('No such sign-in; start a new one.', 'oauth_flow_not_found')
  }
}

/** The callback port is taken or not ours to bind; the caller falls back to the device flow. */
export class CallbackPortUnavailableError extends Error {
  constructor(
    readonly address: string,
    readonly reason: string,
  ) {
    super(`cannot listen on ${address} (${reason})`)
    this.name = 'CallbackPortUnavailableError'
  }
}

/** Shown for failures that are bugs or infrastructure: their own text may hold internals. */
export const UNEXPECTED_FAILURE = 'Something went wrong while finishing the sign-in.'

/** Keeps an OAuth error code safe to echo: lower-case word characters only, bounded. */
export function safeOAuthCode(raw: string | undefined | null, fallback: string): string {
  const code = raw?.trim().toLowerCase() ?? ''
  return /^[a-z0-9_.-]{1,64}$/.test(code) ? code : fallback
}

/** Bounds what an auth server's description may add to a message shown to the user. */
export function clip(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}
