import { describe, expect, it } from 'vitest'
import { isModelAllowed, type ApiKeyPrincipal } from './access.js'
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

describe('isModelAllowed (the 403 check)', () => {
  it('null and [] mean every model; otherwise an exact, case-sensitive match', () => {
    expect(isModelAllowed(key(['gpt-5.1']), 'gpt-5.1')).toBe(true)
    expect(isModelAllowed(key(['gpt-5.1']), 'GPT-5.1')).toBe(false)
    expect(isModelAllowed(key([]), 'anything')).toBe(true)
    expect(isModelAllowed(key(null), 'anything')).toBe(true)
    expect(isModelAllowed(null, 'anything')).toBe(true)
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
