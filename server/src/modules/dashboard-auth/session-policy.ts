import type { SessionFactors } from './session-codec.js'

/** The parts of the settings that decide dashboard access. */
export interface AuthSettings {
  readonly passwordConfigured: boolean
  readonly totpRequiredOnLogin: boolean
  readonly totpConfigured: boolean
  readonly sessionEpoch: number
}

export type AccessVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: 'authentication_required' | 'totp_required' }

export interface SessionState {
  authenticated: boolean
  passwordRequired: boolean
  totpRequiredOnLogin: boolean
  totpConfigured: boolean
}

/**
 * Seed 003: a password OR the TOTP-on-login flag makes the dashboard private. The flag without a
 * password (a half-migrated database) is still private: it never falls back to open mode.
 */
export function requiresAuth(settings: AuthSettings): boolean {
  return settings.passwordConfigured || settings.totpRequiredOnLogin
}

/** A migrated database should never hold the TOTP flag without a password; the guard warns about it. */
export function isMigrationInconsistent(settings: AuthSettings): boolean {
  return !settings.passwordConfigured && settings.totpRequiredOnLogin
}

/** Claims from an earlier epoch (before a password change or removal) count as no session at all. */
export function currentClaims<T extends SessionFactors>(
  settings: AuthSettings,
  claims: T | null,
): T | null {
  return claims !== null && claims.ep === settings.sessionEpoch ? claims : null
}

/**
 * The one access rule, shared by the guard and `GET /api/dashboard-auth/session` so the two can never
 * disagree: a current session, with `pw` when a password exists and `tv` when TOTP is required.
 */
export function evaluateAccess(
  settings: AuthSettings,
  claims: SessionFactors | null,
): AccessVerdict {
  if (!requiresAuth(settings)) return { ok: true }
  const session = currentClaims(settings, claims)
  if (session === null) return { ok: false, code: 'authentication_required' }
  if (settings.passwordConfigured && !session.pw)
    return { ok: false, code: 'authentication_required' }
  if (settings.totpRequiredOnLogin && !session.tv) return { ok: false, code: 'totp_required' }
  return { ok: true }
}

/**
 * What the dashboard shows before it renders. `authenticated` is exactly the guard's verdict.
 * `totpRequiredOnLogin` is revealed only once the password step is done (or when there is no
 * password step), as the original did, so a logged-out visitor learns nothing about the second factor.
 */
export function sessionState(settings: AuthSettings, claims: SessionFactors | null): SessionState {
  const session = currentClaims(settings, claims)
  const passwordStepDone = !settings.passwordConfigured || session?.pw === true
  return {
    authenticated: evaluateAccess(settings, claims).ok,
    passwordRequired: settings.passwordConfigured,
    totpRequiredOnLogin: settings.totpRequiredOnLogin && passwordStepDone,
    totpConfigured: settings.totpConfigured,
  }
}
