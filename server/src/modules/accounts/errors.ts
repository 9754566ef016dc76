import { AppError, BadRequestError, NotFoundError } from '../../errors/index.js'

export class AccountNotFoundError extends NotFoundError {
  constructor(readonly accountId: string) {
    super('Account not found', 'account_not_found')
  }
}

/** The message names what is missing or wrong, so a user can fix the file without guessing. */
export class InvalidAuthJsonError extends BadRequestError {
  constructor(message: string) {
    super(message, 'invalid_auth_json')
  }
}

/** An auth.json from an API-key login: no ChatGPT account to pool, only a key we never use. */
export class ApiKeyOnlyAuthJsonError extends InvalidAuthJsonError {
  constructor() {
    super(
      'auth.json holds only an API key (OPENAI_API_KEY), no ChatGPT sign-in tokens: ' +
        'codex-lb pools ChatGPT accounts, so sign in with ChatGPT instead',
    )
  }
}

/**
 * A refresh that did not produce a usable access token. `permanent` means the account was (or already
 * is) deactivated and needs a new login; otherwise the account stays usable and a later attempt may
 * succeed (`retryAfterMs` says when this process will try the auth server again).
 */
export class TokenRefreshError extends AppError {
  readonly permanent: boolean
  readonly accountId: string
  readonly retryAfterMs: number | undefined

  constructor(
    message: string,
    options: { code: string; permanent: boolean; accountId: string; retryAfterMs?: number },
  ) {
    super(message, { status: 503, code: options.code, type: 'server_error' })
    this.permanent = options.permanent
    this.accountId = options.accountId
    this.retryAfterMs = options.retryAfterMs
  }
}
