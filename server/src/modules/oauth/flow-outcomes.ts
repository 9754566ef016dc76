import { AppError } from '../../errors/index.js'
import type { Clock } from '../../lib/clock.js'
import type { AccountsService } from '../accounts/index.js'
import type { OAuthTokens } from './auth-client.js'
import { OAuthUpstreamError, UNEXPECTED_FAILURE } from './errors.js'
import type { Flow } from './flows.js'
import type { OAuthFlowStatus } from './schemas.js'

/** The subset of pino this module logs through; tokens, codes, verifiers and states never go in. */
export interface OAuthLogger {
  info(obj: object, msg: string): void
  warn(obj: object, msg: string): void
}

export interface OutcomeDeps {
  accounts: Pick<AccountsService, 'importTokens'>
  clock: Clock
  log: OAuthLogger
}

/** What GET /status and POST /complete say before any sign-in was started. */
export const IDLE_STATUS: OAuthFlowStatus = {
  flowId: null,
  method: null,
  status: 'pending',
  errorMessage: null,
  accountId: null,
  email: null,
}

export function flowView(flow: Flow): OAuthFlowStatus {
  return {
    flowId: flow.id,
    method: flow.method,
    status: flow.status,
    errorMessage: flow.errorMessage,
    accountId: flow.accountId,
    email: flow.email,
  }
}

/**
 * Stores the login's tokens as an account (a known account is restored in place) and ends the flow
 * with success. Tokens the accounts module cannot use are the auth server's fault: 502.
 */
export async function storeAccount(deps: OutcomeDeps, flow: Flow, tokens: OAuthTokens) {
  let imported
  try {
    imported = await deps.accounts.importTokens({ ...tokens, lastRefreshAt: deps.clock.now() })
  } catch (err) {
    if (!(err instanceof AppError)) throw err
    throw new OAuthUpstreamError(
      `The sign-in returned tokens codex-lb cannot use: ${err.message}`,
      'invalid_token_response',
    )
  }
  const { account, created } = imported
  flow.succeed({ id: account.id, email: account.email, created })
  deps.log.info(
    { flowId: flow.id, method: flow.method, accountId: account.id, created },
    'oauth sign-in stored the account',
  )
}

/** Ends a pending flow with the error's message; unknown errors get a generic one (no internals). */
export function failFlow(log: OAuthLogger, flow: Flow, err: unknown): void {
  if (flow.status !== 'pending') return
  const known = err instanceof AppError
  flow.fail(known ? err.message : UNEXPECTED_FAILURE)
  const code = known ? err.code : err instanceof Error ? err.name : 'unknown'
  log.warn({ flowId: flow.id, method: flow.method, code }, 'oauth sign-in failed')
}
