import type { TokenCipher } from '../../crypto/index.js'
import {
  DashboardAuthError,
  DashboardBadRequestError,
  DashboardRateLimitError,
} from '../../errors/index.js'
import type { Clock } from '../../lib/clock.js'
import type { SettingsService } from '../settings/index.js'
import type { IssuedSession } from './password-service.js'
import type { FailureRateLimiter } from './rate-limiter.js'
import type { AuthRepository } from './repository.js'
import type { SessionClaims } from './session-codec.js'
import { currentClaims, sessionState } from './session-policy.js'
import { requirePasswordSession, type Sessions } from './sessions.js'
import {
  generateTotpSecret,
  matchTotpStep,
  normalizeTotpCode,
  normalizeTotpSecret,
  qrSvgDataUri,
  totpUri,
} from './totp.js'
import { consumeTotpCode } from './totp-step.js'

export interface TotpSetup {
  secret: string
  otpauthUri: string
  qrSvgDataUri: string
}

export interface TotpServiceDeps {
  repository: AuthRepository
  settings: SettingsService
  sessions: Sessions
  cipher: TokenCipher
  limiter: FailureRateLimiter
  clock: Clock
}

/** A wrong or replayed code is a failed credential, like a wrong password: 401 with a stable code. */
const invalidCode = () => new DashboardAuthError('Invalid TOTP code', 'invalid_totp_code')
const notConfigured = () =>
  new DashboardBadRequestError('TOTP is not configured', 'totp_not_configured')
const invalidSetup = (message: string) =>
  new DashboardBadRequestError(message, 'invalid_totp_setup')

/**
 * TOTP as the second factor (seed 004 §6). Setup is two steps: `start` hands out a secret without
 * storing it, `confirm` stores it once a code proves the authenticator has it. Every accepted code
 * consumes its time step, so no code works twice (verify, confirm and disable share the bookkeeping).
 */
export class TotpService {
  constructor(private readonly deps: TotpServiceDeps) {}

  async start(claims: SessionClaims | null): Promise<TotpSetup> {
    const settings = await this.deps.settings.read()
    requirePasswordSession(settings, claims)
    if (settings.totpConfigured) throw invalidSetup('TOTP is already configured')
    const secret = generateTotpSecret()
    const otpauthUri = totpUri(secret)
    return { secret, otpauthUri, qrSvgDataUri: await qrSvgDataUri(otpauthUri) }
  }

  async confirm(
    claims: SessionClaims | null,
    rawSecret: string,
    rawCode: string,
    client: string,
  ): Promise<void> {
    const key = this.#checkRate(client)
    const settings = await this.deps.settings.read()
    requirePasswordSession(settings, claims)
    if (settings.totpConfigured) throw invalidSetup('TOTP is already configured')
    const secret = normalizeTotpSecret(rawSecret)
    if (secret === null) throw this.#fail(key, invalidSetup('Invalid TOTP secret'))
    const code = normalizeTotpCode(rawCode)
    const now = this.deps.clock.now()
    const step = code === null ? null : matchTotpStep(secret, code, now, null)
    if (step === null) throw this.#fail(key, invalidCode())
    const stored = await this.deps.repository.storeTotpSecretIfAbsent(
      this.deps.cipher.encrypt(secret),
      step,
      now,
    )
    this.deps.settings.invalidate()
    if (!stored) throw invalidSetup('TOTP is already configured')
    this.deps.limiter.reset(key)
  }

  /**
   * Completes a login: with a password configured it needs the password session first and issues
   * pw+tv; without one (the legacy TOTP-only mode) it is the whole login and issues tv alone.
   */
  async verify(
    claims: SessionClaims | null,
    rawCode: string,
    client: string,
  ): Promise<IssuedSession> {
    const key = this.#checkRate(client)
    const settings = await this.deps.settings.read()
    const current = currentClaims(settings, claims)
    if (settings.passwordConfigured && current?.pw !== true) {
      throw new DashboardAuthError()
    }
    await this.#consumeCode(rawCode, key)
    const factors = { pw: settings.passwordConfigured, tv: true, ep: settings.sessionEpoch }
    // The same sign-in as the password step's cookie: one logout revokes both.
    const token = this.deps.sessions.issue(factors, current?.sid)
    return { state: sessionState(settings, factors), token }
  }

  /**
   * Seed 004 §6.4: the password session suffices (with `tv` only while codes are enforced at login,
   * like every other credential change); the current code it must carry is what keeps a stolen
   * password cookie from removing the second factor. Without a password there is nothing to fall
   * back on, so the TOTP-only state cannot disable TOTP: set a password first.
   */
  async disable(claims: SessionClaims | null, rawCode: string, client: string): Promise<void> {
    const key = this.#checkRate(client)
    requirePasswordSession(await this.deps.settings.read(), claims)
    await this.#consumeCode(rawCode, key)
    await this.deps.repository.clearTotp(this.deps.clock.now())
    this.deps.settings.invalidate()
  }

  /** Accepts a code once (see consumeTotpCode); a wrong or replayed one counts as a failure. */
  async #consumeCode(rawCode: string, key: string): Promise<void> {
    const outcome = await consumeTotpCode(this.deps, rawCode, this.deps.clock.now())
    if (outcome === 'not_configured') throw notConfigured()
    if (outcome === 'invalid') throw this.#fail(key, invalidCode())
    this.deps.limiter.reset(key)
  }

  /** One limiter key per client across confirm, verify and disable. */
  #checkRate(client: string): string {
    const key = `totp:${client}`
    const retryAfter = this.deps.limiter.retryAfterSeconds(key, this.deps.clock.now())
    if (retryAfter !== null) throw new DashboardRateLimitError(retryAfter, 'totp_rate_limited')
    return key
  }

  #fail<E extends Error>(key: string, error: E): E {
    this.deps.limiter.recordFailure(key, this.deps.clock.now())
    return error
  }
}
