import { describe, expect, it } from 'vitest'
import { isModelAllowed, isPublicModel, type ApiKeyPrincipal } from './access.js'
import {
  API_KEY_PREFIX,
  DISPLAY_PREFIX_LENGTH,
  generateApiKey,
  hashApiKey,
} from './key-material.js'

const key = (allowedModels: string[] | null): ApiKeyPrincipal => ({
  id: 'k',
  name: 'k',
  allowedModels,
})

describe('isPublicModel (seed 002 §8)', () => {
  const supported = { id: 'gpt-5.1', supportedInApi: true }
  const unsupported = { id: 'codex-internal', supportedInApi: false }

  it('hides models not supported in the API, with or without a key (§8.3, §8.4)', () => {
    expect(isPublicModel(unsupported, null)).toBe(false)
    expect(isPublicModel(unsupported, key(null))).toBe(false)
    expect(isPublicModel(supported, null)).toBe(true)
  })

  it('hides an unsupported model even when the key allows it by name (§8.5)', () => {
    expect(isPublicModel(unsupported, key(['codex-internal']))).toBe(false)
  })

  it('filters by allowedModels; null and [] mean every model', () => {
    expect(isPublicModel(supported, key(['gpt-5.1']))).toBe(true)
    expect(isPublicModel(supported, key(['gpt-4o']))).toBe(false)
    expect(isPublicModel(supported, key([]))).toBe(true)
    expect(isModelAllowed(key(['gpt-5.1']), 'GPT-5.1')).toBe(false)
    expect(isModelAllowed(null, 'anything')).toBe(true)
  })

  it('gives /api/models (no key) and an unrestricted key the same list (§8.6)', () => {
    const catalog = [supported, unsupported, { id: 'gpt-4o', supportedInApi: true }]
    const dashboard = catalog.filter((m) => isPublicModel(m, null)).map((m) => m.id)
    const proxy = catalog.filter((m) => isPublicModel(m, key(null))).map((m) => m.id)
    expect(proxy).toEqual(dashboard)
    expect(dashboard).toEqual(['gpt-5.1', 'gpt-4o'])
  })
})

describe('key material', () => {
  it('is sk-clb- + 43 base64url characters, shown by a 15-character prefix, kept as SHA-256', () => {
    const a = generateApiKey()
    expect(a.key).toMatch(/^sk-clb-[A-Za-z0-9_-]{43}$/)
    expect(a.key.startsWith(API_KEY_PREFIX)).toBe(true)
    expect(a.prefix).toBe(a.key.slice(0, DISPLAY_PREFIX_LENGTH))
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/)
    expect(hashApiKey(a.key)).toBe(a.hash)
    expect(generateApiKey().key).not.toBe(a.key)
  })
})
