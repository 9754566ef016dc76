import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import type { Config } from '../../config/index.js'
import type { Clock } from '../../lib/clock.js'
import type { UpstreamClient } from '../../upstream/client.js'
import { fetchUsage, type UsageFetchResult } from '../../upstream/usage-client.js'
import { TokenRefreshError } from '../accounts/index.js'
import type {
  Account,
  AccountCredential,
  AccountStatePatch,
  UsageCheckOutcome,
} from '../accounts/index.js'
import { effectiveStatus, type LiveUsageWindows } from '../balancer/index.js'
import { pooledUsage, rateLimitHeaders, type PooledUsage } from './pooled-usage.js'
import { headersAsUsage } from './rate-limit-headers.js'
import type { UsageRepository } from './repository.js'
import { rateLimitsAsUsage, usageErrorMessage, usageRows } from './usage-payload.js'

export interface UsageAccounts {
  listAll(): Promise<Account[]>
  find(id: string): Promise<Account | undefined>
  ensureFresh(id: string, options?: { force?: boolean }): Promise<AccountCredential>
  updateState(id: string, patch: AccountStatePatch): Promise<unknown>
}

export interface UsageServiceDeps {
  repo: UsageRepository
  accounts: UsageAccounts
  upstream: UpstreamClient
  clock: Clock
  log: FastifyBaseLogger
  config: Pick<Config, 'upstream' | 'usage'>
  /** Called after a poll changed usage or status, so routing sees it at once. */
  onChange: () => void
  /** A live sample (response headers, a rate-limit event), before it is stored: routing's copy. */
  onLiveUsage?: (accountId: string, windows: LiveUsageWindows) => void
}

type UsageRows = ReturnType<typeof usageRows>['rows']

const DEACTIVATING = new Set([402, 403, 404])
const RATE_LIMITS_MIN_GAP_MS = 5000
/** Reset times from `reset-after-seconds` drift with the clock: a minute's difference is the same window. */
const RESET_SLACK_MS = 60_000

/** Usage windows per account: polled from `/wham/usage`, pooled for headers and Codex clients. */
export class UsageService {
  #cache: { at: number; usage: PooledUsage } | undefined
  #computing: Promise<PooledUsage> | undefined
  readonly #liveSeen = new Map<string, { at: number; rows: UsageRows }>()

  constructor(private readonly deps: UsageServiceDeps) {}

  invalidate(): void {
    this.#cache = undefined
  }

  /** Pooled usage, recomputed at most once per poll interval (and right after each poll). */
  async pooled(): Promise<PooledUsage> {
    const now = this.deps.clock.now()
    if (this.#cache && now - this.#cache.at < this.deps.config.usage.refreshIntervalMs) {
      return this.#cache.usage
    }
    this.#computing ??= (async () => {
      const [accounts, latest] = await Promise.all([
        this.deps.accounts.listAll(),
        this.deps.repo.latest(),
      ])
      const usage = pooledUsage(accounts, latest)
      this.#cache = { at: this.deps.clock.now(), usage }
      return usage
    })().finally(() => (this.#computing = undefined))
    return this.#computing
  }

  /** Headers for proxied responses; never fails a request (empty on a database error). */
  async headers(): Promise<Record<string, string>> {
    try {
      return rateLimitHeaders(await this.pooled())
    } catch (err) {
      this.deps.log.warn({ err }, 'rate-limit headers unavailable')
      return {}
    }
  }

  /** One polling round over every account that can serve. */
  async refreshAll(): Promise<{ polled: number; failed: number }> {
    const accounts = await this.deps.accounts.listAll()
    let polled = 0
    let failed = 0
    for (const account of accounts) {
      if (account.status === 'paused' || account.status === 'deactivated') continue
      try {
        if (await this.refreshAccount(account)) polled++
        else failed++
      } catch (err) {
        failed++
        this.deps.log.warn({ err, accountId: account.id }, 'usage refresh failed')
      }
    }
    this.invalidate()
    this.deps.onChange()
    return { polled, failed }
  }

  /** Fetches and stores one account's usage; applies the status it implies. */
  async refreshAccount(account: Account): Promise<boolean> {
    return (await this.#poll(account)).ok
  }

  /**
   * The dashboard's "check now": one poll, its failure described (a token refresh that failed
   * included), and routing told at once. Never throws for an upstream or auth-server failure.
   */
  async checkAccount(account: Account): Promise<UsageCheckOutcome> {
    let outcome: UsageCheckOutcome
    try {
      outcome = await this.#poll(account)
    } catch (err) {
      if (!(err instanceof TokenRefreshError)) throw err
      outcome = { ok: false, code: err.code, message: err.message }
    }
    this.invalidate()
    this.deps.onChange()
    return outcome
  }

  async #poll(account: Account): Promise<UsageCheckOutcome> {
    const { accounts } = this.deps
    let credential: AccountCredential
    try {
      credential = await accounts.ensureFresh(account.id)
    } catch (err) {
      // Refresh failures are handled (and recorded) by the accounts service.
      const { code = 'token_refresh_failed', message = 'Token refresh failed' } =
        err instanceof TokenRefreshError ? err : {}
      return { ok: false, code, message }
    }
    let result = await this.#fetch(credential)
    if (result.status === 401) {
      credential = await accounts.ensureFresh(account.id, { force: true })
      result = await this.#fetch(credential)
    }
    const now = this.deps.clock.now()
    // A 403 that is not the backend's JSON (an HTML challenge page of a proxy in the way) says
    // nothing about the account: skip this poll instead of deactivating it.
    const challenge = result.status === 403 && typeof result.body === 'string'
    const message = usageErrorMessage(result.status, result.body)
    if (DEACTIVATING.has(result.status) && !challenge) {
      await accounts.updateState(account.id, {
        status: 'deactivated',
        deactivationReason: `Usage API error: HTTP ${result.status} - ${message}`,
      })
      return {
        ok: false,
        code: 'account_deactivated',
        message: `HTTP ${result.status}: ${message}`,
      }
    }
    if (result.status === 0) return { ok: false, code: 'upstream_unavailable', message }
    if (result.status !== 200) {
      return { ok: false, code: 'usage_fetch_failed', message: `HTTP ${result.status}: ${message}` }
    }
    const { rows } = usageRows(account.id, result.body, now)
    await this.deps.repo.insert(rows)
    await this.#applyStatus(account, rows, now)
    return { ok: true }
  }

  /** A `codex.rate_limits` event (WebSocket frame or SSE event) of a turn on this account. */
  recordRateLimits(accountId: string, event: Record<string, unknown>): Promise<void> {
    return this.#recordLive(accountId, rateLimitsAsUsage(event))
  }

  /** The `x-codex-*` rate-limit headers of an upstream response on this account, if it has any. */
  recordHeaders(accountId: string, headers: Record<string, string | string[] | undefined>) {
    const body = headersAsUsage(headers)
    return body ? this.#recordLive(accountId, body) : Promise.resolve()
  }

  /**
   * Usage the traffic itself reported, stored like a poll's answer without a call of our own.
   * Routing's copy is updated before this returns its promise (no await first, so a relay that
   * does not wait loses nothing); the store follows. A sample that changes nothing is stored at
   * most once per account every few seconds. Never throws.
   */
  async #recordLive(accountId: string, body: Record<string, unknown>): Promise<void> {
    const now = this.deps.clock.now()
    let rows: UsageRows
    try {
      rows = usageRows(accountId, body, now).rows
      if (rows.length === 0) return
      const seen = this.#liveSeen.get(accountId)
      if (seen && now - seen.at < RATE_LIMITS_MIN_GAP_MS && sameWindows(seen.rows, rows)) return
      this.#liveSeen.set(accountId, { at: now, rows })
      this.deps.onLiveUsage?.(accountId, liveWindows(rows))
    } catch (err) {
      this.deps.log.warn({ err, accountId }, 'could not read a rate-limit sample')
      return
    }
    try {
      const account = await this.deps.accounts.find(accountId)
      if (!account) return
      await this.deps.repo.insert(rows)
      await this.#applyStatus(account, rows, now)
      this.invalidate()
      this.deps.onChange()
    } catch (err) {
      this.deps.log.warn({ err, accountId }, 'could not store a rate-limit event')
    }
  }

  async #fetch(credential: AccountCredential): Promise<UsageFetchResult> {
    return fetchUsage(this.deps.upstream, this.deps.config.upstream.baseUrl, credential, {
      timeoutMs: this.deps.config.usage.fetchTimeoutMs,
      maxRetries: this.deps.config.usage.fetchMaxRetries,
      requestId: randomUUID(),
    })
  }

  async #applyStatus(account: Account, rows: UsageRows, now: number) {
    const primary = rows.find((r) => r.window === 'primary')
    const secondary = rows.find((r) => r.window === 'secondary')
    const eff = effectiveStatus(
      {
        id: account.id,
        status: account.status,
        planType: account.planType,
        resetAt: account.resetAt,
        cooldownUntil: account.cooldownUntil,
        errorCount: account.errorCount,
        lastErrorAt: account.lastErrorAt,
        lastSelectedAt: account.lastSelectedAt,
        primaryUsedPercent: primary?.used_percent ?? null,
        primaryResetAt: primary?.reset_at ?? null,
        secondaryUsedPercent: secondary?.used_percent ?? null,
        secondaryResetAt: secondary?.reset_at ?? null,
      },
      now,
    )
    const status = eff.status
    if (status !== account.status || (status !== 'active' && eff.resetAt !== account.resetAt)) {
      await this.deps.accounts.updateState(account.id, {
        status,
        resetAt: status === 'active' ? null : eff.resetAt,
      })
    }
  }
}

function sameWindows(a: UsageRows, b: UsageRows): boolean {
  return (
    a.length === b.length &&
    a.every((x, i) => {
      const y = b[i]!
      const [rx, ry] = [x.reset_at ?? null, y.reset_at ?? null]
      const sameReset =
        rx === ry || (rx !== null && ry !== null && Math.abs(rx - ry) < RESET_SLACK_MS)
      return x.window === y.window && x.used_percent === y.used_percent && sameReset
    })
  )
}

function liveWindows(rows: UsageRows): LiveUsageWindows {
  const out: LiveUsageWindows = {}
  for (const r of rows) out[r.window] = { usedPercent: r.used_percent, resetAt: r.reset_at ?? null }
  return out
}
