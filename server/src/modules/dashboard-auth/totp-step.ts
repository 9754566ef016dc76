import type { TokenCipher } from '../../crypto/index.js'
import type { AuthRepository } from './repository.js'
import { matchTotpStep, normalizeTotpCode } from './totp.js'

export type TotpCodeOutcome = 'consumed' | 'not_configured' | 'invalid'

/**
 * Accepts a code once: it must match a step after the last one used (login, setup, disable and
 * re-authentication share that bookkeeping), and that step is then claimed atomically, so a
 * concurrent request presenting the same code finds nothing to claim and counts as a replay.
 */
export async function consumeTotpCode(
  deps: { repository: AuthRepository; cipher: TokenCipher },
  rawCode: string,
  now: number,
): Promise<TotpCodeOutcome> {
  const credentials = await deps.repository.credentials()
  if (credentials.totpSecretEnc === null) return 'not_configured'
  const secret = deps.cipher.decrypt(credentials.totpSecretEnc)
  const code = normalizeTotpCode(rawCode)
  const step =
    code === null ? null : matchTotpStep(secret, code, now, credentials.totpLastVerifiedStep)
  if (step === null || !(await deps.repository.consumeTotpStep(step, now))) return 'invalid'
  return 'consumed'
}
