import type { Clock } from '../../lib/clock.js'
import type { AuthenticatedKey } from './access.js'
import type { LimitRule } from './limits.js'

/** How long an entry serves without a change notice (a peer's message lost): as long as settings. */
export const KEY_CACHE_TTL_MS = 5000
/** Past this many keys the cache starts over rather than grow (only accepted keys are kept). */
const MAX_KEYS = 10_000

/** An active key as the guard accepts it; expiry is checked on every use, not cached. */
export interface CachedKey {
  readonly key: AuthenticatedKey
  readonly expiresAt: number | null
}

interface Entry<T> {
  readonly value: T
  readonly until: number
}

/**
 * Keys by token hash and their limit rules, so a keyed request does not read both before it
 * reserves. Any change through the service, and a peer's through the cluster bus, drops it all;
 * entries also expire after a few seconds, so a lost message costs at most that. The rules are only
 * a hint of where to reserve: the reservation's conditional UPDATE decides whether room is left.
 */
export class KeyCache {
  readonly #keys = new Map<string, Entry<CachedKey>>()
  readonly #rules = new Map<string, Entry<readonly LimitRule[]>>()
  /** Bumped by `forget`: a read that started before a change must not store what it read. */
  #generation = 0

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = KEY_CACHE_TTL_MS,
  ) {}

  get generation(): number {
    return this.#generation
  }

  key(hash: string): CachedKey | undefined {
    return this.#fresh(this.#keys, hash)
  }

  setKey(hash: string, value: CachedKey, readAt: number): void {
    if (readAt !== this.#generation) return
    if (this.#keys.size >= MAX_KEYS) this.#keys.clear()
    this.#keys.set(hash, { value, until: this.clock.now() + this.ttlMs })
  }

  rules(apiKeyId: string): readonly LimitRule[] | undefined {
    return this.#fresh(this.#rules, apiKeyId)
  }

  setRules(apiKeyId: string, rules: readonly LimitRule[], readAt: number): void {
    if (readAt !== this.#generation) return
    if (this.#rules.size >= MAX_KEYS) this.#rules.clear()
    this.#rules.set(apiKeyId, { value: rules, until: this.clock.now() + this.ttlMs })
  }

  forget(): void {
    this.#generation++
    this.#keys.clear()
    this.#rules.clear()
  }

  #fresh<T>(map: Map<string, Entry<T>>, id: string): T | undefined {
    const entry = map.get(id)
    if (entry === undefined) return undefined
    if (entry.until > this.clock.now()) return entry.value
    map.delete(id)
    return undefined
  }
}
