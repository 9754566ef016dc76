import { DashboardAuthError } from '../../errors/index.js'
import type { Clock } from '../../lib/clock.js'
import {
  SESSION_TTL_SECONDS,
  type SessionClaims,
  type SessionCodec,
  type SessionFactors,
} from './session-codec.js'
import { currentClaims, type AuthSettings } from './session-policy.js'

/** Reads and mints session cookies against the injected clock. */
export class Sessions {
  constructor(
    private readonly codec: SessionCodec,
    private readonly clock: Clock,
  ) {}

  read(token: string | undefined): SessionClaims | null {
    return this.codec.open(token, this.clock.now())
  }

  issue(factors: SessionFactors): string {
    const exp = Math.floor(this.clock.now() / 1000) + SESSION_TTL_SECONDS
    return this.codec.seal({ exp, ...factors })
  }
}

const TOTP_REQUIRED_MESSAGE = 'TOTP verification is required for dashboard access'

/**
 * Password and TOTP management needs a current session that passed the password step, and the TOTP
 * step too when TOTP is enforced (so a stolen half-session cannot change or remove the password).
 */
export function requirePasswordSession(
  settings: AuthSettings,
  claims: SessionClaims | null,
): SessionClaims {
  const session = currentClaims(settings, claims)
  if (!settings.passwordConfigured || session === null || !session.pw) {
    throw new DashboardAuthError()
  }
  if (settings.totpRequiredOnLogin && !session.tv) {
    throw totpRequiredError()
  }
  return session
}

export function totpRequiredError(): DashboardAuthError {
  return new DashboardAuthError(TOTP_REQUIRED_MESSAGE, 'totp_required')
}
