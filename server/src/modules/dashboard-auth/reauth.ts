import type { TokenCipher } from '../../crypto/index.js'
import { DashboardForbiddenError } from '../../errors/index.js'
import type { Clock } from '../../lib/clock.js'
import type { PasswordHasher } from './password.js'
import type { AuthRepository } from './repository.js'
import { consumeTotpCode } from './totp-step.js'

export interface ReauthInput {
  password: string
  /** Required when TOTP is configured. */
  totpCode?: string | undefined
}

/**
 * Asks again for what the session already proved, before an action that hands out secrets. Takes
 * the action's name for the messages ("Exporting credentials …").
 */
export type Reauthenticate = (input: ReauthInput, purpose: string) => Promise<void>

/*
 * Refusals are 403: the session itself is fine (the guard answered for it), and a 401 would make
 * the dashboard treat the session as expired. The codes say which factor failed, never how.
 */
const refused = (message: string, code: string) => new DashboardForbiddenError(message, code)

/**
 * Re-authentication with the dashboard password and, when TOTP is configured, a current code. The
 * code consumes its time step like a login does, so neither can replay the other's code. With no
 * password configured there is nothing to re-enter and the action is refused.
 */
export function createReauthenticate(deps: {
  repository: AuthRepository
  cipher: TokenCipher
  clock: Clock
  hasher: PasswordHasher
}): Reauthenticate {
  return async (input, purpose) => {
    const { passwordHash, totpSecretEnc } = await deps.repository.credentials()
    // Compared even without a stored hash, so the answers take the same time (as login does).
    const matches = await deps.hasher.verify(input.password, passwordHash)
    if (passwordHash === null) {
      throw refused(
        `${purpose} requires a dashboard password, and none is set: set one in Settings first`,
        'password_not_configured',
      )
    }
    // The code a wrong password gets at login too.
    if (!matches) throw refused('Invalid password', 'invalid_credentials')
    if (totpSecretEnc === null) return
    if (!input.totpCode) {
      throw refused(`${purpose} requires a current TOTP code`, 'totp_code_required')
    }
    const outcome = await consumeTotpCode(deps, input.totpCode, deps.clock.now())
    if (outcome !== 'consumed') throw refused('Invalid TOTP code', 'invalid_totp_code')
  }
}
