import { OAuthCallbackError, clip, safeOAuthCode } from './errors.js'
import type { Flow, FlowRegistry } from './flows.js'

/*
 * Checks a redirect back from the authorize endpoint (listener or pasted URL) before any code is
 * exchanged. The state must name a pending browser flow of this process (RFC 6749 §10.12); each
 * flow has its own, so concurrent sign-ins cannot complete one another.
 */

export type CallbackCheck =
  | { ok: true; flow: Flow; code: string }
  /** `flow` is set when the callback belonged to a flow that it also ends (error=, no code). */
  | { ok: false; error: OAuthCallbackError; flow: Flow | undefined }

const INVALID_STATE = 'Invalid OAuth callback state.'

function refuse(message: string, code: string, flow?: Flow): CallbackCheck {
  return { ok: false, error: new OAuthCallbackError(message, code), flow }
}

/**
 * Whether the flow may take a callback now; else why not. Expiry is told as such even once the
 * expiry timer has ended the flow: a URL pasted too late was not "already used".
 */
function unusable(flow: Flow, now: number): CallbackCheck | undefined {
  if (flow.status === 'success' || flow.busy) {
    return refuse('This sign-in link was already used. Start a new sign-in.', 'oauth_state_used')
  }
  if (now >= flow.expiresAt) {
    const pending = flow.status === 'pending' ? flow : undefined
    return refuse('This sign-in has expired. Start a new sign-in.', 'oauth_flow_expired', pending)
  }
  if (flow.status !== 'pending') {
    return refuse('This sign-in link was already used. Start a new sign-in.', 'oauth_state_used')
  }
  return undefined
}

export function checkCallback(
  params: URLSearchParams,
  flows: FlowRegistry,
  now: number,
): CallbackCheck {
  const state = params.get('state') ?? ''
  const flow = state === '' ? undefined : flows.byState(state)
  if (!flow) return refuse(INVALID_STATE, 'invalid_oauth_state')
  const blocked = unusable(flow, now)
  if (blocked) return blocked
  const error = params.get('error')
  if (error !== null) {
    const detail = clip(params.get('error_description') ?? error, 200)
    const code = safeOAuthCode(error, 'oauth_authorization_failed')
    return refuse(`The sign-in was not completed: ${detail}`, code, flow)
  }
  const code = params.get('code') ?? ''
  if (code === '') {
    return refuse('The callback has no authorization code.', 'missing_authorization_code', flow)
  }
  return { ok: true, flow, code }
}

/**
 * The query of a pasted redirect URL: the whole URL as the browser shows it, or just its `?…`
 * part. Anything without a query is refused.
 */
export function parseCallbackUrl(text: string): URLSearchParams {
  const trimmed = text.trim()
  if (trimmed.startsWith('?')) return new URLSearchParams(trimmed.slice(1))
  let url: URL
  try {
    url = new URL(trimmed)
  } catch {
    throw new OAuthCallbackError(
      'callbackUrl is not a URL; paste the whole address the browser was redirected to.',
      'invalid_callback_url',
    )
  }
  if (url.search === '') {
    throw new OAuthCallbackError(
      'callbackUrl has no query; paste the whole address including "?code=…&state=…".',
      'invalid_callback_url',
    )
  }
  return url.searchParams
}
