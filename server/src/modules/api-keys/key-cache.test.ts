import { describe, expect, it } from 'vitest'
import { KeyCache, type CachedKey } from './key-cache.js'

const key: CachedKey = {
  expiresAt: null,
  key: {
    id: 'k1',
    name: 'k',
    allowedModels: null,
    policy: {
      allowedReasoningEfforts: null,
      allowedServiceTiers: null,
      allowedAccountIds: null,
      maxConcurrentRequests: null,
    },
  },
}

function clockAt(start: number) {
  const clock = { t: start, now: () => clock.t }
  return clock
}

describe('KeyCache', () => {
  it('keeps a key and rules for the TTL only', () => {
    const clock = clockAt(1000)
    const cache = new KeyCache(clock, 5000)
    cache.setKey('h', key, cache.generation)
    cache.setRules('k1', [], cache.generation)
    clock.t = 5999
    expect(cache.key('h')).toBe(key)
    expect(cache.rules('k1')).toEqual([])
    clock.t = 6000
    expect(cache.key('h')).toBeUndefined()
    expect(cache.rules('k1')).toBeUndefined()
  })

  it('forget drops everything, and a read begun before it is not stored after it', () => {
    const cache = new KeyCache(clockAt(0))
    const before = cache.generation
    cache.setKey('h', key, before)
    cache.forget()
    expect(cache.key('h')).toBeUndefined()
    // A read that started before the change finishes after it: what it read may be stale.
    cache.setKey('h', key, before)
    cache.setRules('k1', [], before)
    expect(cache.key('h')).toBeUndefined()
    expect(cache.rules('k1')).toBeUndefined()
    cache.setKey('h', key, cache.generation)
    expect(cache.key('h')).toBe(key)
  })
})
