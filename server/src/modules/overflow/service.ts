import { randomUUID } from 'node:crypto'
import type { Config } from '../../config/index.js'
import type { TokenCipher } from '../../crypto/index.js'
import { DashboardConflictError, DashboardNotFoundError } from '../../errors/index.js'
import type { Clock } from '../../lib/clock.js'
import type { UpstreamFailure } from '../../upstream/failure.js'
import type { OverflowDirectory, OverflowTarget } from '../proxy/index.js'
import { OverflowCooldowns } from './cooldowns.js'
import { keyPrefix, parseModels, routeFor, type OverflowUpstream } from './model.js'
import type { OverflowRepository, OverflowUpstreamWrite } from './repository.js'
import type { OverflowCreate, OverflowUpdate } from './schemas.js'

export const ENV_UPSTREAM_ID = 'env'
const CACHE_TTL_MS = 5_000

interface Loaded {
  upstream: OverflowUpstream
  /** Decrypted lazily per read: the plain key lives only as long as the cached list. */
  apiKey: string
}

export interface OverflowServiceDeps {
  repository: OverflowRepository
  cipher: TokenCipher
  clock: Clock
  envUpstream: Config['overflow']['upstream']
  /** Checks a base URL and key before saving (422 naming the field when it fails). */
  probe(baseUrl: string, apiKey: string): Promise<void>
  /** Told after every change (other replicas drop their cached list). */
  onChanged?: () => void
}

/**
 * The overflow upstreams: dashboard CRUD (keys encrypted with the token cipher, never returned) and,
 * for the proxy, which upstreams may serve a model right now, in order, with their cooldowns.
 */
export class OverflowService implements OverflowDirectory {
  readonly #cooldowns = new OverflowCooldowns()
  #cache: { at: number; list: Loaded[] } | undefined

  constructor(private readonly deps: OverflowServiceDeps) {}

  async list(): Promise<Array<{ upstream: OverflowUpstream; cooldownUntil: number | undefined }>> {
    const now = this.deps.clock.now()
    return (await this.#load(true)).map(({ upstream }) => ({
      upstream,
      cooldownUntil: this.#cooldowns.until(upstream.id, now),
    }))
  }

  async create(input: OverflowCreate): Promise<OverflowUpstream> {
    await this.deps.probe(input.baseUrl, input.apiKey)
    const id = randomUUID()
    await this.deps.repository.insert(id, this.#write(input, input.apiKey), this.deps.clock.now())
    return this.#found(id)
  }

  async update(id: string, input: OverflowUpdate): Promise<OverflowUpstream> {
    this.#refuseEnv(id)
    const row = await this.deps.repository.find(id)
    if (!row) throw new DashboardNotFoundError('Overflow upstream not found')
    const patch: Partial<OverflowUpstreamWrite> = {}
    if (input.name !== undefined) patch.name = input.name
    if (input.baseUrl !== undefined) patch.base_url = input.baseUrl
    if (input.models !== undefined) patch.models = JSON.stringify(input.models)
    if (input.inputPrice !== undefined) patch.input_price = input.inputPrice
    if (input.cachedInputPrice !== undefined) patch.cached_input_price = input.cachedInputPrice
    if (input.outputPrice !== undefined) patch.output_price = input.outputPrice
    if (input.apiKey !== undefined) {
      patch.api_key_enc = this.deps.cipher.encrypt(input.apiKey)
      patch.api_key_prefix = keyPrefix(input.apiKey)
    }
    if (input.baseUrl !== undefined || input.apiKey !== undefined) {
      const key = input.apiKey ?? this.deps.cipher.decrypt(row.api_key_enc)
      await this.deps.probe(input.baseUrl ?? row.base_url, key)
    }
    await this.deps.repository.update(id, patch, this.deps.clock.now())
    this.#cooldowns.forget(id)
    return this.#found(id)
  }

  async delete(id: string): Promise<void> {
    this.#refuseEnv(id)
    if (!(await this.deps.repository.delete(id))) {
      throw new DashboardNotFoundError('Overflow upstream not found')
    }
    this.#cooldowns.forget(id)
    this.#changed()
  }

  /** Drops the cached list in this process only (another replica changed it). */
  forgetCached(): void {
    this.#cache = undefined
  }

  #changed(): void {
    this.#cache = undefined
    this.deps.onChanged?.()
  }

  async candidates(model: string, now: number) {
    const named: OverflowTarget[] = []
    const any: OverflowTarget[] = []
    let isNamed = false
    let coolingUntil: number | undefined
    for (const { upstream, apiKey } of await this.#load(false)) {
      const route = routeFor(upstream, model)
      if (!route) continue
      if (route.match === 'named') isNamed = true
      const until = this.#cooldowns.until(upstream.id, now)
      if (until !== undefined) {
        coolingUntil = Math.min(coolingUntil ?? until, until)
        continue
      }
      const { id, name, baseUrl, prices } = upstream
      const target = { id, name, baseUrl, apiKey, model: route.upstreamModel, prices }
      ;(route.match === 'named' ? named : any).push(target)
    }
    return { targets: [...named, ...any], named: isNamed, coolingUntil }
  }

  failed(id: string, failure: UpstreamFailure, now: number): void {
    this.#cooldowns.fail(id, failure, now)
  }

  succeeded(id: string): void {
    this.#cooldowns.succeed(id)
  }

  #write(input: OverflowCreate, apiKey: string): OverflowUpstreamWrite {
    return {
      name: input.name,
      base_url: input.baseUrl,
      api_key_enc: this.deps.cipher.encrypt(apiKey),
      api_key_prefix: keyPrefix(apiKey),
      models: JSON.stringify(input.models),
      input_price: input.inputPrice ?? null,
      cached_input_price: input.cachedInputPrice ?? null,
      output_price: input.outputPrice ?? null,
    }
  }

  async #found(id: string): Promise<OverflowUpstream> {
    this.#changed()
    const found = (await this.#load(true)).find((l) => l.upstream.id === id)
    if (!found) throw new DashboardNotFoundError('Overflow upstream not found')
    return found.upstream
  }

  #refuseEnv(id: string): void {
    if (id === ENV_UPSTREAM_ID) {
      throw new DashboardConflictError(
        'This overflow upstream comes from CODEX_LB_OVERFLOW_BASE_URL; change it there',
        'read_only',
      )
    }
  }

  /** Dashboard reads go to the database; the proxy reads a copy at most 5 s old. */
  async #load(fresh: boolean): Promise<Loaded[]> {
    const now = this.deps.clock.now()
    const cached = this.#cache
    if (!fresh && cached && now - cached.at < CACHE_TTL_MS && now >= cached.at) return cached.list
    const rows = await this.deps.repository.list()
    const list: Loaded[] = rows.map((row) => ({
      apiKey: this.deps.cipher.decrypt(row.api_key_enc),
      upstream: {
        id: row.id,
        name: row.name,
        baseUrl: row.base_url,
        apiKeyPrefix: row.api_key_prefix,
        models: parseModels(row.models),
        prices: {
          input: row.input_price,
          cachedInput: row.cached_input_price,
          output: row.output_price,
        },
        source: 'dashboard',
        createdAt: Number(row.created_at),
        updatedAt: Number(row.updated_at),
      },
    }))
    const env = this.deps.envUpstream
    if (env) {
      list.push({
        apiKey: env.apiKey,
        upstream: {
          id: ENV_UPSTREAM_ID,
          name: 'Environment (CODEX_LB_OVERFLOW_BASE_URL)',
          baseUrl: env.baseUrl,
          apiKeyPrefix: keyPrefix(env.apiKey),
          models: [],
          prices: { input: null, cachedInput: null, output: null },
          source: 'env',
          createdAt: 0,
          updatedAt: 0,
        },
      })
    }
    this.#cache = { at: now, list }
    return list
  }
}
