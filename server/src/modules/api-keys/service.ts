import { randomUUID } from 'node:crypto'
import { DashboardNotFoundError, ProxyAuthError, ValidationError } from '../../errors/index.js'
import type { Clock } from '../../lib/clock.js'
import type { AuthenticatedKey } from './access.js'
import type { CachedKey, KeyCache } from './key-cache.js'
import { generateApiKey, hashApiKey } from './key-material.js'
import {
  WINDOW_MS,
  findDuplicateRule,
  planLimitUpsert,
  planUsageReset,
  type LimitPlan,
  type LimitRuleInput,
} from './limits.js'
import { NO_POLICY, type KeyPolicy } from './policy.js'
import type { ApiKeyChanges, ApiKeyRecord, ApiKeysRepository } from './repository.js'

export interface ApiKeyCreate {
  name: string
  allowedModels: string[] | null
  expiresAt: number | null
  limits: LimitRuleInput[]
  /** Absent: no restriction. */
  policy?: Partial<KeyPolicy>
}

/** A PATCH: a field is changed only when present (seed 002 §6–§7); `limits` replaces the policy. */
export interface ApiKeyUpdate extends ApiKeyChanges {
  limits?: LimitRuleInput[]
  resetUsage?: boolean
}

export interface CreatedApiKey {
  record: ApiKeyRecord
  /** The plain key, shown this once. */
  key: string
}

const notFound = (id: string) => new DashboardNotFoundError(`API key not found: ${id}`)

/** A rule set naming one (type, window, model) twice is malformed: 422 naming the repeated rule. */
function rejectDuplicates(limits: readonly LimitRuleInput[]): void {
  const duplicate = findDuplicateRule(limits)
  if (duplicate === undefined) return
  const field = `limits[${limits.indexOf(duplicate)}]`
  const scope = duplicate.modelFilter === null ? 'all models' : duplicate.modelFilter
  throw new ValidationError(
    `Invalid request payload: ${field}: duplicate limit rule ${duplicate.limitType} ${duplicate.limitWindow} (${scope})`,
    field,
    422,
  )
}

const frozen = (list: readonly string[] | null) =>
  list === null || list.length === 0 ? null : Object.freeze([...list])

/** API keys for the proxy: issue, list, edit, rotate, revoke, and authenticate a Bearer token. */
export class ApiKeysService {
  constructor(
    private readonly repository: ApiKeysRepository,
    private readonly clock: Clock,
    /** Accepted keys and their rules for the proxy; every change here drops it. */
    private readonly cache?: KeyCache,
    /** After every change: tells the other replicas to drop theirs. */
    private readonly onChanged?: () => void,
  ) {}

  async create(input: ApiKeyCreate): Promise<CreatedApiKey> {
    rejectDuplicates(input.limits)
    await this.#rejectUnknownAccounts(input.policy?.allowedAccountIds)
    const now = this.clock.now()
    // A key born expired can never be used: surely a typo. (PATCH may still expire a key now.)
    if (input.expiresAt !== null && input.expiresAt <= now) {
      throw new ValidationError(
        'Invalid request payload: expiresAt: must be in the future',
        'expiresAt',
        422,
      )
    }
    const material = generateApiKey()
    const id = randomUUID()
    await this.repository.insert({
      id,
      name: input.name,
      keyHash: material.hash,
      keyPrefix: material.prefix,
      allowedModels: input.allowedModels,
      expiresAt: input.expiresAt,
      createdAt: now,
      limits: input.limits.map((rule) => ({ ...rule, resetAt: now + WINDOW_MS[rule.limitWindow] })),
      policy: { ...NO_POLICY, ...input.policy },
    })
    this.#changed()
    return { record: await this.#get(id), key: material.key }
  }

  list(): Promise<ApiKeyRecord[]> {
    return this.repository.list()
  }

  async update(id: string, update: ApiKeyUpdate): Promise<ApiKeyRecord> {
    // The repository skips absent fields itself, so the rest of the PATCH passes through as is.
    const { limits, resetUsage, ...changes } = update
    if (limits !== undefined) rejectDuplicates(limits)
    await this.#rejectUnknownAccounts(changes.allowedAccountIds)
    const now = this.clock.now()
    let plan: LimitPlan | null = null
    if (limits !== undefined || resetUsage === true) {
      const existing = await this.repository.limitsOf(id)
      plan =
        limits !== undefined
          ? planLimitUpsert(existing, limits, resetUsage === true, now)
          : planUsageReset(existing, now)
    }
    const found = await this.repository.update(id, changes, plan)
    this.#changed()
    if (!found) throw notFound(id)
    return this.#get(id)
  }

  async delete(id: string): Promise<void> {
    const found = await this.repository.delete(id)
    this.#changed()
    if (!found) throw notFound(id)
  }

  /** A new secret for the same key: name, models, limits and their usage stay as they are. */
  async regenerate(id: string): Promise<CreatedApiKey> {
    const material = generateApiKey()
    const found = await this.repository.replaceKey(id, material.hash, material.prefix)
    this.#changed()
    if (!found) throw notFound(id)
    return { record: await this.#get(id), key: material.key }
  }

  /** The key behind a Bearer token; 401 when unknown, inactive or expired. Limits are not checked. */
  async authenticate(token: string): Promise<AuthenticatedKey> {
    const hash = hashApiKey(token)
    const found = this.cache?.key(hash) ?? (await this.#readKey(hash))
    if (!found) throw new ProxyAuthError('Invalid API key')
    if (found.expiresAt !== null && found.expiresAt <= this.clock.now()) {
      throw new ProxyAuthError('API key has expired')
    }
    return found.key
  }

  #changed(): void {
    this.cache?.forget()
    this.onChanged?.()
  }

  /** An active key by its hash, kept in the cache (unknown and inactive keys are not kept). */
  async #readKey(hash: string): Promise<CachedKey | undefined> {
    const readAt = this.cache?.generation
    const record = await this.repository.findByHash(hash)
    if (!record || !record.isActive) return undefined
    const found: CachedKey = {
      expiresAt: record.expiresAt,
      key: Object.freeze({
        id: record.id,
        name: record.name,
        allowedModels: frozen(record.allowedModels),
        policy: Object.freeze({
          allowedReasoningEfforts: frozen(record.policy.allowedReasoningEfforts),
          allowedServiceTiers: frozen(record.policy.allowedServiceTiers),
          allowedAccountIds: frozen(record.policy.allowedAccountIds),
          maxConcurrentRequests: record.policy.maxConcurrentRequests,
        }),
      }),
    }
    if (readAt !== undefined) this.cache?.setKey(hash, found, readAt)
    return found
  }

  /** 422 naming the first entry of `allowedAccountIds` that is not an account of this pool. */
  async #rejectUnknownAccounts(ids: readonly string[] | null | undefined): Promise<void> {
    if (!ids || ids.length === 0) return
    const known = await this.repository.existingAccountIds(ids)
    const index = ids.findIndex((id) => !known.has(id))
    if (index < 0) return
    const field = `allowedAccountIds[${index}]`
    throw new ValidationError(
      `Invalid request payload: ${field}: unknown account ${JSON.stringify(ids[index])}`,
      field,
      422,
    )
  }

  async #get(id: string): Promise<ApiKeyRecord> {
    const record = await this.repository.find(id)
    if (!record) throw notFound(id)
    return record
  }
}
