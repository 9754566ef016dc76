import type { SessionState } from '@codex-lb/shared'

/** What the session endpoint asks of the visitor before the app may render. */
export type AuthStep = 'app' | 'password' | 'totp'

/**
 * The server's `authenticated` is the guard's own verdict, so the app renders exactly when API calls
 * will pass. Otherwise a revealed TOTP requirement means the code is what is missing: after the
 * password, or on its own in the TOTP-only state (no password, codes required; seed 003 fails closed).
 */
export function authStep(session: SessionState): AuthStep {
  if (session.authenticated) return 'app'
  return session.totpRequiredOnLogin ? 'totp' : 'password'
}

/** Open to anyone who can reach it: neither a password nor a login code protects the dashboard. */
export function isOpen(session: SessionState): boolean {
  return !session.passwordRequired && !session.totpRequiredOnLogin
}
