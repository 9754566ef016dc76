import { DashboardAuthError } from '../../errors/index.js'
import type { Clock } from '../../lib/clock.js'
import {
  SESSION_TTL_SECONDS,
  newSessionId,
  type SessionClaims,
  type SessionCodec,
  type SessionFactors,
} from './session-codec.js'
import type { RevocationStore } from './session-revocations.js'
import { currentClaims, type AuthSettings } from './session-policy.js'

/** Reads, mints and revokes session cookies against the injected clock. */
export class Sessions {
  constructor(
    private readonly codec: SessionCodec,
    private readonly clock: Clock,
    private readonly revocations: RevocationStore,
  ) {}

  /** The claims of a well-formed, unexpired cookie whose session was not logged out; else null. */
  async read(token: string | undefined): Promise<SessionClaims | null> {
    const claims = this.codec.open(token, this.clock.now())
    if (claims === null || (await this.revocations.isRevoked(claims.sid))) return null
    return claims
  }

  /**
   * A fresh cookie. `sid` continues a sign-in (the TOTP step, a password change) so one logout
   * ends every cookie it was handed; a new sign-in gets a new one.
   */
  issue(factors: SessionFactors, sid: string = newSessionId()): string {
    const exp = Math.floor(this.clock.now() / 1000) + SESSION_TTL_SECONDS
    return this.codec.seal({ exp, ...factors, sid })
  }

  /**
   * Ends the session on the server: a copy of the cookie is refused from now on. Kept until the
   * latest expiry any cookie of this sign-in can have (a re-issue restarts the 12 h).
   */
  async revoke(claims: SessionClaims): Promise<void> {
    const now = this.clock.now()
    const latestExpiry = Math.max(claims.exp * 1000, now + SESSION_TTL_SECONDS * 1000)
    await this.revocations.revoke(claims.sid, latestExpiry, now)
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
