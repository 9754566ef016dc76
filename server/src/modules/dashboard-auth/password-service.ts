import {
  DashboardAuthError,
  DashboardBadRequestError,
  DashboardConflictError,
  DashboardRateLimitError,
} from '../../errors/index.js'
import type { Clock } from '../../lib/clock.js'
import type { Settings, SettingsService } from '../settings/index.js'
import { acceptNewPassword, type PasswordHasher } from './password.js'
import type { FailureRateLimiter } from './rate-limiter.js'
import type { AuthRepository } from './repository.js'
import type { SessionClaims } from './session-codec.js'
import { currentClaims, sessionState, type SessionState } from './session-policy.js'
import { requirePasswordSession, type Sessions } from './sessions.js'

export interface IssuedSession {
  state: SessionState
  /** The sealed cookie value to set. */
  token: string
}

export interface PasswordServiceDeps {
  repository: AuthRepository
  settings: SettingsService
  sessions: Sessions
  limiter: FailureRateLimiter
  clock: Clock
  hasher: PasswordHasher
}

const notConfigured = () =>
  new DashboardBadRequestError('Password is not configured', 'password_not_configured')
const invalidCredentials = () =>
  new DashboardAuthError('Invalid credentials', 'invalid_credentials')
const changedMeanwhile = () =>
  new DashboardConflictError('The password was changed by another request', 'password_changed')

/** Password setup, login, change and removal (seed 004 §4–§5). */
export class PasswordService {
  constructor(private readonly deps: PasswordServiceDeps) {}

  /**
   * Unauthenticated but first-writer-wins: a second setup gets 409, never a silent overwrite. A
   * caller signed in by code alone (the TOTP-only state) keeps that step: it is the way out of it.
   */
  async setup(raw: string, claims: SessionClaims | null = null): Promise<IssuedSession> {
    const { repository, settings, clock } = this.deps
    const password = acceptNewPassword(raw, 'password')
    const current = currentClaims(await settings.read(), claims)
    const alreadySet = () =>
      new DashboardConflictError('Password is already configured', 'password_already_configured')
    if ((await repository.credentials()).passwordHash !== null) throw alreadySet()
    const hash = await this.deps.hasher.hash(password)
    if (!(await repository.setPasswordIfAbsent(hash, clock.now()))) throw alreadySet()
    settings.invalidate()
    return this.#issue(await settings.get(), current?.tv === true, current?.sid)
  }

  async login(raw: string, client: string): Promise<IssuedSession> {
    const key = this.#checkRate(client)
    const { passwordHash } = await this.deps.repository.credentials()
    // Compared even when no hash is stored, so both answers take the same time.
    const matches = await this.deps.hasher.verify(raw, passwordHash)
    if (passwordHash === null) throw notConfigured()
    if (!matches) throw this.#fail(key)
    this.deps.limiter.reset(key)
    return this.#issue(await this.deps.settings.read(), false)
  }

  /** Ends every other session (new epoch) and returns a fresh cookie for the caller's. */
  async change(
    claims: SessionClaims | null,
    current: string,
    next: string,
    client: string,
  ): Promise<string> {
    const { repository, settings, sessions, limiter, clock } = this.deps
    const session = requirePasswordSession(await settings.read(), claims)
    const password = acceptNewPassword(next, 'newPassword')
    const key = this.#checkRate(client)
    const stored = await this.#verifyStored(current, key)
    const epoch = await repository.replacePassword(
      stored,
      await this.deps.hasher.hash(password),
      clock.now(),
    )
    settings.invalidate()
    if (epoch === null) throw changedMeanwhile()
    limiter.reset(key)
    return sessions.issue({ pw: true, tv: session.tv, ep: epoch }, session.sid)
  }

  /** Removes the password and TOTP with it; every session, the caller's included, ends. */
  async remove(claims: SessionClaims | null, raw: string, client: string): Promise<void> {
    const { repository, settings, limiter, clock } = this.deps
    requirePasswordSession(await settings.read(), claims)
    const key = this.#checkRate(client)
    const stored = await this.#verifyStored(raw, key)
    const cleared = await repository.clearPasswordAndTotp(stored, clock.now())
    settings.invalidate()
    if (!cleared) throw changedMeanwhile()
    limiter.reset(key)
  }

  /** The stored hash, once `candidate` is proven to match it. */
  async #verifyStored(candidate: string, key: string): Promise<string> {
    const { passwordHash } = await this.deps.repository.credentials()
    const matches = await this.deps.hasher.verify(candidate, passwordHash)
    if (passwordHash === null) throw notConfigured()
    if (!matches) throw this.#fail(key)
    return passwordHash
  }

  #issue(settings: Settings, totpVerified: boolean, sid?: string): IssuedSession {
    const factors = { pw: true, tv: totpVerified, ep: settings.sessionEpoch }
    return { state: sessionState(settings, factors), token: this.deps.sessions.issue(factors, sid) }
  }

  /** One limiter key per client for login, change and removal: alternating endpoints gains nothing. */
  #checkRate(client: string): string {
    const key = `password:${client}`
    const retryAfter = this.deps.limiter.retryAfterSeconds(key, this.deps.clock.now())
    if (retryAfter !== null) throw new DashboardRateLimitError(retryAfter, 'password_rate_limited')
    return key
  }

  #fail(key: string): DashboardAuthError {
    this.deps.limiter.recordFailure(key, this.deps.clock.now())
    return invalidCredentials()
  }
}
