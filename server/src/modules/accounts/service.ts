import type { Kysely } from 'kysely'
import type { Dispatcher } from 'undici'
import type { Config } from '../../config/index.js'
import type { TokenCipher } from '../../crypto/index.js'
import { blockingLock, dialectOf } from '../../db/index.js'
import type { AccountRow, AccountUpdate, Database } from '../../db/index.js'
import type { Clock } from '../../lib/clock.js'
import { parseAuthJson } from './auth-json.js'
import { toCheckResponse, toRefreshResponse, type UsageChecker } from './check.js'
import { AccountNotFoundError, InvalidAuthJsonError, TokenRefreshError } from './errors.js'
import { coercePlanType, resolveIdentity } from './identity.js'
import { readExpiry, readIdTokenClaims } from './jwt-claims.js'
import {
  NO_EMAIL,
  compareAccounts,
  toAccount,
  toAccountUpdate,
  type Account,
  type AccountCredential,
  type AccountStatePatch,
  type ImportResult,
  type TokenSetInput,
} from './model.js'
import { TokenRefresher, type AccountsLogger, type RefreshSweepResult } from './refresher.js'
import { AccountsRepository } from './repository.js'
import type {
  AccountCheckResponse,
  AccountRefreshResponse,
  AccountUpdate as AccountEdit,
} from './schemas.js'
import type { AccountHeadroomUpdate, AccountSummary, AccountTrendsResponse } from './schemas.js'
import { indexUsage, toAccountSummary } from './summary.js'
import { buildTrends, trendsStart } from './trends.js'
import { maskedEgressProxy } from './egress.js'

export interface AccountsServiceDeps {
  db: Kysely<Database>
  cipher: TokenCipher
  config: Pick<Config, 'oauth' | 'tokenRefresh'> & { upstream: { egressProxy: string | null } }
  clock: Clock
  log: AccountsLogger
  /** The auth server is called through this (tests may inject); defaults to global fetch. */
  fetch?: typeof fetch
  /** The pooled dispatcher of an egress proxy (the upstream client's), for token refreshes. */
  egressDispatcher?: (proxyUrl: string) => Dispatcher
  /** Jitter source for refresh backoff (tests pin it). */
  random?: () => number
  /** Called after any write that changes who may be selected (status, existence), so caches drop. */
  onChange?: (accountId: string) => void
  /** After an import or login stored an account (e.g. to fetch its usage right away). */
  onImported?: (account: Account) => void
  /**
   * After the dashboard reactivated an account, awaited before `reactivate` returns: re-checks its
   * usage so a stale "used up" sample does not keep the balancer away from it.
   */
  onReactivated?: (account: Account) => Promise<void>
}

export interface EnsureFreshOptions {
  /** Refresh even if the token looks valid: the upstream just answered 401 with it. */
  force?: boolean
}

/** The account pool: admin operations for /api/accounts and the credential API for the proxy. */
export class AccountsService {
  readonly #repo: AccountsRepository
  readonly #refresher: TokenRefresher

  constructor(private readonly deps: AccountsServiceDeps) {
    this.#repo = new AccountsRepository(deps.db)
    const { oauth, tokenRefresh } = deps.config
    this.#refresher = new TokenRefresher({
      repository: this.#repo,
      cipher: deps.cipher,
      clock: deps.clock,
      log: deps.log,
      policy: { marginMs: tokenRefresh.marginMs, maxAgeMs: tokenRefresh.maxAgeMs },
      client: {
        authBaseUrl: oauth.authBaseUrl,
        clientId: oauth.clientId,
        scope: oauth.scope,
        timeoutMs: oauth.timeoutMs,
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
        ...(deps.egressDispatcher ? { dispatcherFor: deps.egressDispatcher } : {}),
      },
      defaultEgressProxy: deps.config.upstream.egressProxy,
      ...(deps.random ? { random: deps.random } : {}),
      onDeactivated: (id) => this.#changed(id),
      lock: blockingLock(deps.db, dialectOf(deps.db)),
    })
  }

  /**
   * Imports (or re-imports) a Codex CLI auth.json. Throws InvalidAuthJsonError naming what is
   * wrong; nothing is written unless the whole file is usable.
   */
  async importAuthJson(text: string): Promise<ImportResult> {
    return this.importTokens(parseAuthJson(text))
  }

  /**
   * Stores a token set from a login (OAuth) or an auth.json. An account that already exists (same
   * id, or same workspace + email) is updated in place: status back to active, reason and runtime
   * state cleared, its id, created_at and usage history kept. Throws InvalidAuthJsonError when the
   * id_token cannot be decoded or identifies no one.
   */
  async importTokens(tokens: TokenSetInput): Promise<ImportResult> {
    const claims = readIdTokenClaims(tokens.idToken)
    if (!claims) {
      throw new InvalidAuthJsonError('tokens.id_token is not a JWT (its payload cannot be decoded)')
    }
    const identity = resolveIdentity(tokens.accountId ?? null, claims)
    const { cipher } = this.deps
    const now = this.deps.clock.now()
    const { row, created } = await this.#repo.upsertImported(
      {
        id: identity.id,
        chatgpt_account_id: identity.chatgptAccountId,
        email: identity.email ?? NO_EMAIL,
        plan_type: coercePlanType(claims.planType),
        access_token_enc: cipher.encrypt(tokens.accessToken),
        refresh_token_enc: cipher.encrypt(tokens.refreshToken),
        id_token_enc: cipher.encrypt(tokens.idToken),
        access_token_expires_at: readExpiry(tokens.accessToken),
        // Honour the file's last_refresh (§12 item 7), but never trust a clock ahead of ours.
        last_refresh_at: Math.min(tokens.lastRefreshAt ?? now, now),
      },
      now,
    )
    this.#refresher.forget(row.id)
    this.#changed(row.id)
    this.deps.log.info({ accountId: row.id, created }, 'account imported')
    const account = toAccount(row)
    this.deps.onImported?.(account)
    return { account, created }
  }

  async listSummaries(): Promise<AccountSummary[]> {
    const [rows, usage] = await Promise.all([this.#repo.listAll(), this.#repo.latestUsage()])
    const byAccount = indexUsage(usage)
    return rows
      .map((row) => ({ row, account: toAccount(row) }))
      .sort((a, b) => compareAccounts(a.account, b.account))
      .map(({ row, account }) =>
        toAccountSummary(account, {
          usage: byAccount.get(row.id) ?? {},
          refreshTokenStored: row.refresh_token_enc !== '',
          idTokenParsed: this.#idTokenParses(row),
          egressProxy: maskedEgressProxy(row, this.deps.cipher),
        }),
      )
  }

  async trends(id: string): Promise<AccountTrendsResponse> {
    await this.get(id)
    const now = this.deps.clock.now()
    const samples = await this.#repo.usageSince(id, trendsStart(now))
    return { accountId: id, ...buildTrends(samples, now) }
  }

  async pause(id: string): Promise<Account> {
    return this.#update(id, { status: 'paused' })
  }

  /**
   * Back to active with the reason, reset time and error streak cleared, then `onReactivated`;
   * returns the account as it stands after that (limited again if its usage says so).
   */
  async reactivate(id: string): Promise<Account> {
    const account = await this.#update(id, {
      status: 'active',
      deactivation_reason: null,
      reset_at: null,
      cooldown_until: null,
      error_count: 0,
      last_error_at: null,
    })
    this.#refresher.forget(id)
    if (!this.deps.onReactivated) return account
    await this.deps.onReactivated(account)
    return this.get(id)
  }

  /** PATCH: its place in the fill_first order and its display name (absent kept, null unset). */
  async edit(id: string, edit: AccountEdit): Promise<Account> {
    const patch: AccountUpdate = {}
    if (edit.routeOrder !== undefined) patch.route_order = edit.routeOrder
    if (edit.alias !== undefined) patch.alias = edit.alias
    return this.#update(id, patch)
  }

  /** Check now: fetches the account's usage at once, answers what it found (a failure included). */
  async checkNow(id: string, check: UsageChecker): Promise<AccountCheckResponse> {
    const outcome = await check(await this.get(id))
    const [account, usage] = await Promise.all([this.get(id), this.#repo.latestUsageOf(id)])
    return toCheckResponse(account, usage, outcome, this.deps.clock.now())
  }

  /** Refresh now: a forced token refresh; a permanent failure deactivates the account, as always. */
  async refreshNow(id: string): Promise<AccountRefreshResponse> {
    await this.get(id)
    try {
      await this.ensureFresh(id, { force: true })
      return toRefreshResponse(await this.get(id))
    } catch (err) {
      if (!(err instanceof TokenRefreshError)) throw err
      return toRefreshResponse(await this.get(id), err)
    }
  }

  /** Sets this account's usage ceilings (absent keeps one, null follows the global setting). */
  async setHeadroom(id: string, update: AccountHeadroomUpdate): Promise<Account> {
    const patch: AccountUpdate = {}
    if (update.primaryPercent !== undefined) patch.headroom_primary_percent = update.primaryPercent
    if (update.secondaryPercent !== undefined)
      patch.headroom_secondary_percent = update.secondaryPercent
    return this.#update(id, patch)
  }

  /** Sets (null: clears) the account's own egress proxy URL, stored encrypted (it may hold a password). */
  async setEgressProxy(id: string, url: string | null): Promise<Account> {
    return this.#update(id, { egress_proxy_encrypted: url && this.deps.cipher.encrypt(url) })
  }

  /** The account's own egress proxy with any password masked; null when it has none. */
  async egressProxyOf(id: string): Promise<string | null> {
    return maskedEgressProxy(await this.#row(id), this.deps.cipher)
  }

  /** Sets how many upstream streams the account may have in flight (null: the global cap). */
  async setMaxStreams(id: string, maxStreams: number | null): Promise<Account> {
    return this.#update(id, { max_streams: maxStreams })
  }

  /** Deletes the account, its usage history and sticky pins; its request logs are kept. */
  async delete(id: string): Promise<void> {
    if (!(await this.#repo.delete(id))) throw new AccountNotFoundError(id)
    this.#refresher.forget(id)
    this.#changed(id)
  }

  /** Every account, ordered by email then id. */
  async listAll(): Promise<Account[]> {
    return (await this.#repo.listAll()).map(toAccount).sort(compareAccounts)
  }

  /** The accounts of one ChatGPT workspace (the `chatgpt-account-id` a Codex client sends). */
  async listByChatgptAccountId(chatgptAccountId: string): Promise<Account[]> {
    return (await this.#repo.listByChatgptAccountId(chatgptAccountId)).map(toAccount)
  }

  async find(id: string): Promise<Account | undefined> {
    const row = await this.#repo.findById(id)
    return row ? toAccount(row) : undefined
  }

  /** Throws AccountNotFoundError when absent. */
  async get(id: string): Promise<Account> {
    return toAccount(await this.#row(id))
  }

  /** The stored credential as is, without refreshing (see ensureFresh). */
  async getCredential(id: string): Promise<AccountCredential> {
    return this.#refresher.credentialOf(await this.#row(id))
  }

  /**
   * A usable credential, refreshed first when the access token is within the margin of its `exp`,
   * older than the max age, or `force` is set. Throws AccountNotFoundError, or TokenRefreshError:
   * `permanent` → the account is now deactivated; otherwise it stays usable and backs off.
   */
  ensureFresh(id: string, options: EnsureFreshOptions = {}): Promise<AccountCredential> {
    return this.#refresher.ensureFresh(id, options.force ?? false)
  }

  /** Refreshes, one account at a time, every active-ish account whose token is due. */
  async refreshDueAccounts(): Promise<RefreshSweepResult> {
    const result: RefreshSweepResult = { refreshed: [], failed: [], backingOff: [] }
    for (const row of await this.#repo.listAll()) {
      if (row.status === 'paused' || row.status === 'deactivated') continue
      const now = this.deps.clock.now()
      if (!this.#refresher.isDue(row, now)) continue
      if (this.#refresher.isBackingOff(row.id, now)) {
        result.backingOff.push(row.id)
        continue
      }
      try {
        await this.#refresher.ensureFresh(row.id, false)
        result.refreshed.push(row.id)
      } catch (err) {
        if (!(err instanceof TokenRefreshError)) throw err
        result.failed.push({ accountId: row.id, code: err.code, permanent: err.permanent })
      }
    }
    return result
  }

  /** Persists runtime state (status, cooldown, error streak, selection time). */
  async updateState(id: string, patch: AccountStatePatch): Promise<Account> {
    return this.#update(id, toAccountUpdate(patch))
  }

  async #row(id: string): Promise<AccountRow> {
    const row = await this.#repo.findById(id)
    if (!row) throw new AccountNotFoundError(id)
    return row
  }

  async #update(id: string, patch: AccountUpdate): Promise<Account> {
    const row = await this.#repo.update(id, { ...patch, updated_at: this.deps.clock.now() })
    if (!row) throw new AccountNotFoundError(id)
    this.#changed(id)
    return toAccount(row)
  }

  #changed(id: string): void {
    this.#refresher.forgetRow(id)
    this.deps.onChange?.(id)
  }

  #idTokenParses(row: AccountRow): boolean {
    try {
      return readIdTokenClaims(this.deps.cipher.decrypt(row.id_token_enc)) !== null
    } catch {
      return false
    }
  }
}

export function createAccountsService(deps: AccountsServiceDeps): AccountsService {
  return new AccountsService(deps)
}
