import { DashboardBadRequestError } from '../../errors/index.js'
import type { Clock } from '../../lib/clock.js'
import {
  DEFAULT_ROUTING_STRATEGY,
  isRoutingStrategy,
  type RoutingStrategy,
} from '../balancer/index.js'
import type { SettingsPatch, SettingsRecord, SettingsRepository } from './repository.js'

/** How long the guards and the proxy may use settings read from the database (seed 003). */
export const SETTINGS_CACHE_TTL_MS = 5_000

export const OVERFLOW_MODES = ['off', 'exhausted', 'always'] as const
/** When requests go to an overflow upstream: never, when no account can serve, or always (named models). */
export type OverflowMode = (typeof OVERFLOW_MODES)[number]

/** Runtime settings as every reader sees them. Frozen: the cached object is shared. */
export interface Settings {
  readonly stickyThreadsEnabled: boolean
  readonly preferEarlierResetAccounts: boolean
  readonly totpRequiredOnLogin: boolean
  readonly apiKeyAuthEnabled: boolean
  /** Effective usage ceilings (percent used, 100 = none): stored, else the configured default. */
  readonly headroomPrimaryPercent: number
  readonly headroomSecondaryPercent: number
  /** Effective routing strategy: the stored one, else CODEX_LB_ROUTING_STRATEGY. */
  readonly routingStrategy: RoutingStrategy
  /** Effective sticky-thread pin lifetime: the stored override, else the configured default. */
  readonly stickyTtlSeconds: number
  /** Effective per-account stream cap and wait for a free slot: stored, else the configured default. */
  readonly accountMaxStreams: number
  readonly accountQueueWaitSeconds: number
  /** Effective overflow mode: the stored value, else the configured default. */
  readonly overflowMode: OverflowMode
  readonly totpConfigured: boolean
  readonly passwordConfigured: boolean
  /** Sessions issued under another epoch are void (bumped by password change/removal). */
  readonly sessionEpoch: number
}

export interface SettingsUpdate {
  stickyThreadsEnabled: boolean
  preferEarlierResetAccounts: boolean
  totpRequiredOnLogin?: boolean | null | undefined
  apiKeyAuthEnabled?: boolean | null | undefined
  /** null restores the configured default. */
  headroomPrimaryPercent?: number | null | undefined
  headroomSecondaryPercent?: number | null | undefined
  /** null restores CODEX_LB_ROUTING_STRATEGY. */
  routingStrategy?: RoutingStrategy | null | undefined
  /** null restores the configured default. */
  stickyTtlSeconds?: number | null | undefined
  /** null restores the configured default. */
  accountMaxStreams?: number | null | undefined
  accountQueueWaitSeconds?: number | null | undefined
  /** null restores the configured default. */
  overflowMode?: OverflowMode | null | undefined
}

interface CacheEntry {
  value: Settings
  loadedAt: number
}

export interface SettingsServiceDeps {
  repository: SettingsRepository
  /** CODEX_LB_ROUTING_STRATEGY; most_remaining when absent. */
  defaultRoutingStrategy?: RoutingStrategy
  clock: Clock
  /** CODEX_LB_HEADROOM_*_PERCENT; 100 (no ceiling) when absent. */
  defaultHeadroom?: { primaryPercent: number; secondaryPercent: number }
  defaultStickyTtlSeconds: number
  /** CODEX_LB_ACCOUNT_MAX_STREAMS and _QUEUE_WAIT_SECONDS; 8 and 10 when absent. */
  defaultConcurrency?: { accountMaxStreams: number; queueWaitSeconds: number }
  defaultOverflowMode?: OverflowMode
  /** Told after every change (other replicas drop their cached copy). */
  onChanged?: () => void
}

export class SettingsService {
  readonly #deps: SettingsServiceDeps
  #cached: CacheEntry | undefined
  #loading: Promise<Settings> | undefined
  // A load that started before an invalidation must not repopulate the cache with what it read.
  #generation = 0

  constructor(deps: SettingsServiceDeps) {
    this.#deps = deps
  }

  /** Settings at most 5 s old (one DB read per 5 s at most); what the guards and the proxy call. */
  async get(): Promise<Settings> {
    const now = this.#deps.clock.now()
    const cached = this.#cached
    if (cached && now >= cached.loadedAt && now - cached.loadedAt < SETTINGS_CACHE_TTL_MS) {
      return cached.value
    }
    this.#loading ??= this.#load()
    return this.#loading
  }

  /** Forgets the cached copy here and on the other replicas; called after every change. */
  invalidate(): void {
    this.forgetCached()
    this.#deps.onChanged?.()
  }

  /** Forgets the cached copy in this process only (a fresh read, or another replica's change). */
  forgetCached(): void {
    this.#generation += 1
    this.#cached = undefined
    this.#loading = undefined
  }

  /** Reads straight from the database (dashboard views), refreshing the cache on the way. */
  async read(): Promise<Settings> {
    this.forgetCached()
    return this.get()
  }

  async update(update: SettingsUpdate): Promise<Settings> {
    const patch: SettingsPatch = {
      stickyThreadsEnabled: update.stickyThreadsEnabled,
      preferEarlierResetAccounts: update.preferEarlierResetAccounts,
    }
    // Absent or null leaves the stored value alone (the original's "optional = keep").
    if (update.totpRequiredOnLogin != null) patch.totpRequiredOnLogin = update.totpRequiredOnLogin
    if (update.apiKeyAuthEnabled != null) patch.apiKeyAuthEnabled = update.apiKeyAuthEnabled
    if (update.headroomPrimaryPercent !== undefined)
      patch.headroomPrimaryPercent = update.headroomPrimaryPercent
    if (update.headroomSecondaryPercent !== undefined)
      patch.headroomSecondaryPercent = update.headroomSecondaryPercent
    if (update.routingStrategy !== undefined) patch.routingStrategy = update.routingStrategy
    if (update.stickyTtlSeconds !== undefined) patch.stickyTtlSeconds = update.stickyTtlSeconds
    if (update.accountMaxStreams !== undefined) patch.accountMaxStreams = update.accountMaxStreams
    if (update.accountQueueWaitSeconds !== undefined)
      patch.accountQueueWaitSeconds = update.accountQueueWaitSeconds
    if (update.overflowMode !== undefined) patch.overflowMode = update.overflowMode
    const enablingTotp = patch.totpRequiredOnLogin === true
    const written = await this.#deps.repository.update(patch, this.#deps.clock.now(), enablingTotp)
    this.invalidate()
    if (!written && enablingTotp) {
      throw new DashboardBadRequestError(
        'Configure TOTP before enabling login enforcement',
        'invalid_totp_config',
      )
    }
    return this.get()
  }

  #load(): Promise<Settings> {
    const generation = this.#generation
    const loading = this.#deps.repository
      .load(this.#deps.clock.now())
      .then((record) => {
        const value = this.#toSettings(record)
        if (generation === this.#generation) {
          this.#cached = { value, loadedAt: this.#deps.clock.now() }
        }
        return value
      })
      .finally(() => {
        if (this.#loading === loading) this.#loading = undefined
      })
    return loading
  }

  #toSettings(record: SettingsRecord): Settings {
    return Object.freeze({
      stickyThreadsEnabled: record.stickyThreadsEnabled,
      preferEarlierResetAccounts: record.preferEarlierResetAccounts,
      totpRequiredOnLogin: record.totpRequiredOnLogin,
      apiKeyAuthEnabled: record.apiKeyAuthEnabled,
      headroomPrimaryPercent:
        record.headroomPrimaryPercent ?? this.#deps.defaultHeadroom?.primaryPercent ?? 100,
      headroomSecondaryPercent:
        record.headroomSecondaryPercent ?? this.#deps.defaultHeadroom?.secondaryPercent ?? 100,
      // A name this version does not know (written by a newer one) falls back like null.
      routingStrategy: isRoutingStrategy(record.routingStrategy)
        ? record.routingStrategy
        : (this.#deps.defaultRoutingStrategy ?? DEFAULT_ROUTING_STRATEGY),
      stickyTtlSeconds: record.stickyTtlSeconds ?? this.#deps.defaultStickyTtlSeconds,
      accountMaxStreams:
        record.accountMaxStreams ?? this.#deps.defaultConcurrency?.accountMaxStreams ?? 8,
      accountQueueWaitSeconds:
        record.accountQueueWaitSeconds ?? this.#deps.defaultConcurrency?.queueWaitSeconds ?? 10,
      overflowMode: record.overflowMode ?? this.#deps.defaultOverflowMode ?? 'off',
      totpConfigured: record.totpConfigured,
      passwordConfigured: record.passwordConfigured,
      sessionEpoch: record.sessionEpoch,
    })
  }
}
