import type { TokenCipher } from '../../crypto/index.js'
import type { AccountRow, AccountUpdate, KeyedLock } from '../../db/index.js'
import type { Clock } from '../../lib/clock.js'
import { AccountNotFoundError, TokenRefreshError } from './errors.js'
import { normalizeEmail, coercePlanType } from './identity.js'
import { readExpiry, readIdTokenClaims } from './jwt-claims.js'
import type { AccountCredential } from './model.js'
import {
  requestTokenRefresh,
  type RefreshClientOptions,
  type RefreshOutcome,
  type RefreshedTokens,
} from './refresh-client.js'
import type { AccountsRepository } from './repository.js'
import { needsRefresh, refreshBackoffMs, type RefreshPolicy } from './token-refresh.js'

/** The subset of pino this module logs through; token values are never passed to it. */
export interface AccountsLogger {
  info(obj: object, msg: string): void
  warn(obj: object, msg: string): void
}

export interface RefresherDeps {
  repository: AccountsRepository
  cipher: TokenCipher
  clock: Clock
  log: AccountsLogger
  policy: RefreshPolicy
  client: RefreshClientOptions
  random?: () => number
  /** Egress proxy of accounts that have none of their own (CODEX_LB_EGRESS_PROXY). */
  defaultEgressProxy?: string | null
  onDeactivated?: (accountId: string) => void
  /** Cross-replica lock around a refresh (refresh tokens rotate: two replicas must not both use one). */
  lock?: KeyedLock
}

export interface RefreshSweepResult {
  refreshed: string[]
  failed: Array<{ accountId: string; code: string; permanent: boolean }>
  /** Due, but still backing off after a transient failure. */
  backingOff: string[]
}

const ROW_CACHE_MS = 10_000

interface Backoff {
  failures: number
  until: number
}

/**
 * Keeps account tokens fresh. One refresh per account at a time (single flight: concurrent callers
 * share the in-flight promise, because the auth server rotates refresh tokens and a second
 * concurrent use of the old one is answered with `refresh_token_reused`, which is permanent). After
 * a transient failure the account backs off, so a burst of requests cannot hammer the auth server.
 * Both maps are per process; with several replicas each backs off on its own.
 */
export class TokenRefresher {
  readonly #inflight = new Map<string, Promise<AccountCredential>>()
  readonly #backoff = new Map<string, Backoff>()
  /** Successful refreshes per account, to notice one that finished while a caller read the row. */
  readonly #generation = new Map<string, number>()
  /**
   * Rows read on the hot path, kept briefly: every proxied request asks for a credential, and all
   * token writes of this process go through here (or through `forgetRow`). The TTL bounds how long
   * a token rotated by another replica can be served stale (it would then get a 401 and refresh).
   */
  readonly #rows = new Map<
    string,
    { row: AccountRow; at: number; credential?: AccountCredential }
  >()

  constructor(private readonly deps: RefresherDeps) {}

  ensureFresh(id: string, force: boolean): Promise<AccountCredential> {
    const running = this.#inflight.get(id)
    if (running) return running
    // A forced refresh claims the slot before its first await, so every forced caller that
    // arrives while it runs (reading the row included) joins it.
    if (force) return this.#claim(id, () => this.#readAndRefresh(id))
    return this.#ensureUnforced(id)
  }

  async #ensureUnforced(id: string): Promise<AccountCredential> {
    const generation = this.#generation.get(id) ?? 0
    const row = await this.#cachedRow(id)
    // While we read, a refresh may have started (join it) or finished (our row may predate it).
    const started = this.#inflight.get(id)
    if (started) return started
    if ((this.#generation.get(id) ?? 0) !== generation) return this.#ensureUnforced(id)
    if (!this.isDue(row, this.deps.clock.now())) return this.credentialOf(row)
    return this.#claim(id, () => this.#refreshRow(row, false))
  }

  #claim(id: string, work: () => Promise<AccountCredential>): Promise<AccountCredential> {
    const promise = work().finally(() => this.#inflight.delete(id))
    this.#inflight.set(id, promise)
    return promise
  }

  async #readAndRefresh(id: string): Promise<AccountCredential> {
    const row = await this.deps.repository.findById(id)
    if (!row) throw new AccountNotFoundError(id)
    return this.#refreshRow(row, true)
  }

  async #refreshRow(row: AccountRow, force: boolean): Promise<AccountCredential> {
    if (row.status === 'deactivated') {
      throw new TokenRefreshError(row.deactivation_reason ?? 'Account is deactivated', {
        code: 'account_deactivated',
        permanent: true,
        accountId: row.id,
      })
    }
    const now = this.deps.clock.now()
    const backoff = this.#backoff.get(row.id)
    if (backoff && now < backoff.until) return this.#duringBackoff(row, now, force, backoff)
    return this.#refresh(row)
  }

  async #cachedRow(id: string): Promise<AccountRow> {
    const now = this.deps.clock.now()
    const hit = this.#rows.get(id)
    if (hit && now - hit.at < ROW_CACHE_MS) return hit.row
    const row = await this.deps.repository.findById(id)
    if (!row) {
      this.#rows.delete(id)
      throw new AccountNotFoundError(id)
    }
    this.#rows.set(id, { row, at: now })
    return row
  }

  /** Drops the cached row after any write to the account made outside this class. */
  forgetRow(id: string): void {
    this.#rows.delete(id)
  }

  /** Forgets failure history, e.g. after a re-import or reactivation. */
  forget(id: string): void {
    this.#backoff.delete(id)
  }

  /** Whether the row's tokens are within the margin of `exp` or older than the max age. */
  isDue(row: AccountRow, now: number): boolean {
    const timing = {
      accessTokenExpiresAt: row.access_token_expires_at,
      lastRefreshAt: row.last_refresh_at,
    }
    return needsRefresh(timing, now, this.deps.policy) !== null
  }

  isBackingOff(id: string, now: number): boolean {
    const backoff = this.#backoff.get(id)
    return backoff !== undefined && now < backoff.until
  }

  credentialOf(row: AccountRow): AccountCredential {
    // Decrypting costs more than the rest of the hot path; rows in the cache decrypt once.
    const hit = this.#rows.get(row.id)
    if (hit?.row === row) {
      hit.credential ??= this.#decrypt(row)
      return hit.credential
    }
    return this.#decrypt(row)
  }

  #decrypt(row: AccountRow): AccountCredential {
    return this.#credential(row, this.deps.cipher.decrypt(row.access_token_enc))
  }

  #credential(row: AccountRow, accessToken: string): AccountCredential {
    const { cipher, defaultEgressProxy } = this.deps
    const own = row.egress_proxy_encrypted ? cipher.decrypt(row.egress_proxy_encrypted) : null
    const egressProxy = own ?? defaultEgressProxy ?? null
    return { accountId: row.id, accessToken, chatgptAccountId: row.chatgpt_account_id, egressProxy }
  }

  #duringBackoff(row: AccountRow, now: number, force: boolean, b: Backoff): AccountCredential {
    const expiry = row.access_token_expires_at
    // A proactive refresh that is merely due must not take a still-valid token out of service.
    if (!force && (expiry === null || expiry > now)) return this.credentialOf(row)
    throw new TokenRefreshError('Token refresh is backing off after a failed attempt', {
      code: 'refresh_backoff',
      permanent: false,
      accountId: row.id,
      retryAfterMs: b.until - now,
    })
  }

  async #refresh(seen: AccountRow): Promise<AccountCredential> {
    const lock: KeyedLock = this.deps.lock ?? ((_name, work) => work())
    return lock(`token-refresh:${seen.id}`, async () => {
      // Another replica may have refreshed while we waited for the lock: its tokens are ours too,
      // and our refresh token is already spent.
      const row = await this.deps.repository.findById(seen.id)
      if (!row) throw new AccountNotFoundError(seen.id)
      if (row.refresh_token_enc !== seen.refresh_token_enc) {
        this.#rows.set(row.id, { row, at: this.deps.clock.now() })
        return this.credentialOf(row)
      }
      const refreshToken = this.deps.cipher.decrypt(row.refresh_token_enc)
      const egress = this.#credential(row, '').egressProxy ?? null
      const outcome = await requestTokenRefresh(this.deps.client, refreshToken, egress)
      if (!outcome.ok) return this.#fail(row, outcome)
      return this.#store(row, outcome.tokens)
    })
  }

  async #store(row: AccountRow, tokens: RefreshedTokens): Promise<AccountCredential> {
    const now = this.deps.clock.now()
    const { cipher } = this.deps
    const patch: AccountUpdate = {
      access_token_enc: cipher.encrypt(tokens.accessToken),
      access_token_expires_at: readExpiry(tokens.accessToken),
      last_refresh_at: now,
      updated_at: now,
    }
    if (tokens.refreshToken) patch.refresh_token_enc = cipher.encrypt(tokens.refreshToken)
    const claims = tokens.idToken ? readIdTokenClaims(tokens.idToken) : null
    if (tokens.idToken) patch.id_token_enc = cipher.encrypt(tokens.idToken)
    const email = normalizeEmail(claims?.email ?? null)
    if (email) patch.email = email
    if (claims?.chatgptAccountId) patch.chatgpt_account_id = claims.chatgptAccountId
    if (claims?.planType) patch.plan_type = coercePlanType(claims.planType)
    const updated = await this.deps.repository.updateIfTokenUnchanged(
      row.id,
      row.refresh_token_enc,
      patch,
    )
    if (!updated) {
      // Re-login (or re-import) stored new tokens meanwhile: keep those, use ours for this call.
      const current = await this.deps.repository.findById(row.id)
      if (!current) throw new AccountNotFoundError(row.id)
      this.#rows.delete(row.id)
      return this.#credential(current, tokens.accessToken)
    }
    this.#rows.set(row.id, { row: updated, at: now })
    this.#backoff.delete(row.id)
    this.#generation.set(row.id, (this.#generation.get(row.id) ?? 0) + 1)
    this.deps.log.info({ accountId: row.id }, 'account tokens refreshed')
    return this.#credential(updated, tokens.accessToken)
  }

  /**
   * The tokens that failed for good were replaced meanwhile (a re-login or re-import): the account
   * stays active and this call uses the new tokens. A permanent error here would make the proxy mark
   * the account deactivated itself, undoing the re-login.
   */
  async #afterRelogin(id: string, code: string): Promise<AccountCredential> {
    const current = await this.deps.repository.findById(id)
    if (!current) throw new AccountNotFoundError(id)
    this.deps.log.warn(
      { accountId: id, code },
      'token refresh failed; a re-login replaced the tokens',
    )
    this.#rows.set(id, { row: current, at: this.deps.clock.now() })
    return this.credentialOf(current)
  }

  async #fail(
    row: AccountRow,
    outcome: Extract<RefreshOutcome, { ok: false }>,
  ): Promise<AccountCredential> {
    const { code, message, permanent } = outcome
    if (permanent) {
      this.#backoff.delete(row.id)
      this.#rows.delete(row.id)
      const now = this.deps.clock.now()
      // Only the tokens that failed are condemned: a re-login that landed meanwhile stays active.
      const marked = await this.deps.repository.updateIfTokenUnchanged(
        row.id,
        row.refresh_token_enc,
        {
          status: 'deactivated',
          deactivation_reason: message,
          updated_at: now,
        },
      )
      if (!marked) return this.#afterRelogin(row.id, code)
      this.deps.onDeactivated?.(row.id)
      this.deps.log.warn({ accountId: row.id, code }, 'token refresh failed permanently')
      throw new TokenRefreshError(message, { code, permanent: true, accountId: row.id })
    }
    const failures = (this.#backoff.get(row.id)?.failures ?? 0) + 1
    const delay = refreshBackoffMs(failures, this.deps.random)
    this.#backoff.set(row.id, { failures, until: this.deps.clock.now() + delay })
    this.deps.log.warn({ accountId: row.id, code, retryInMs: delay }, 'token refresh failed')
    throw new TokenRefreshError(message, {
      code,
      permanent: false,
      accountId: row.id,
      retryAfterMs: delay,
    })
  }
}
