import type { FastifyBaseLogger } from 'fastify'
import type { Config } from '../../config/index.js'
import type { UpstreamClient } from '../../upstream/client.js'
import { upstreamHeaders } from '../../upstream/headers.js'
import type { Account, AccountCredential } from '../accounts/index.js'
import { BOOTSTRAP_MODELS, parseModels, type ModelInfo } from './model-info.js'

export interface RegistryAccounts {
  listAll(): Promise<Account[]>
  ensureFresh(id: string, options?: { force?: boolean }): Promise<AccountCredential>
}

export interface ModelRegistryDeps {
  accounts: RegistryAccounts
  upstream: UpstreamClient
  config: Pick<Config, 'upstream' | 'models'>
  log: FastifyBaseLogger
}

/** How often the scheduler looks: a registry that never fetched retries this soon. */
export const MODEL_REGISTRY_TICK_MS = 30_000

/**
 * The models the pool can serve, fetched from `/codex/models` through any active account (one that
 * answers is enough). Until the first success, a bootstrap list: the scheduler then retries every
 * 30 s instead of every refresh interval, and an account becoming usable refreshes it at once.
 */
export class ModelRegistry {
  #models: readonly ModelInfo[] = BOOTSTRAP_MODELS
  #fetchedAt: number | undefined
  #refreshing: Promise<boolean> | undefined

  constructor(private readonly deps: ModelRegistryDeps) {}

  list(): readonly ModelInfo[] {
    return this.#models
  }

  /** The plans that can use `model`; null when every plan can, or the model is not listed. */
  plansFor(model: string): readonly string[] | null {
    return this.#models.find((m) => m.id === model)?.plans ?? null
  }

  get fetchedAt(): number | undefined {
    return this.#fetchedAt
  }

  /** The scheduled tick: fetches when nothing was fetched yet or the last fetch is an interval old. */
  async refreshIfDue(now: number): Promise<boolean> {
    const last = this.#fetchedAt
    if (last !== undefined && now - last < this.deps.config.models.refreshIntervalMs) return false
    return this.refresh(now)
  }

  /** Fetches now (joining a fetch already in flight); true when a non-empty list came back. */
  refresh(now: number): Promise<boolean> {
    this.#refreshing ??= this.#refresh(now).finally(() => (this.#refreshing = undefined))
    return this.#refreshing
  }

  async #refresh(now: number): Promise<boolean> {
    const accounts = (await this.deps.accounts.listAll()).filter((a) => a.status === 'active')
    for (const account of accounts) {
      try {
        const models = await this.#fetchWith(account.id)
        if (models.length) {
          this.#models = models
          this.#fetchedAt = now
          return true
        }
      } catch (err) {
        this.deps.log.warn({ err, accountId: account.id }, 'model list fetch failed')
      }
    }
    return false
  }

  async #fetchWith(accountId: string): Promise<ModelInfo[]> {
    const { config, upstream } = this.deps
    const url = `${config.upstream.baseUrl}/codex/models?client_version=${encodeURIComponent(config.models.clientVersion)}`
    for (let forced = false; ; forced = true) {
      const credential = await this.deps.accounts.ensureFresh(accountId, { force: forced })
      const res = await upstream.send({
        method: 'GET',
        url,
        headers: upstreamHeaders({}, credential, `models-${Date.now()}`, 'application/json'),
        signal: AbortSignal.timeout(15_000),
        headersTimeoutMs: 15_000,
        bodyTimeoutMs: 15_000,
        egressProxy: credential.egressProxy,
      })
      const text = await res.body.text()
      if (res.status === 401 && !forced) continue
      if (res.status >= 400) throw new Error(`models endpoint answered HTTP ${res.status}`)
      return parseModels(JSON.parse(text))
    }
  }
}
