import { describe, expect, it } from 'vitest'
import { isPublicModel, modelInAllowList } from './public-model.js'

describe('isPublicModel (seed 002 §8)', () => {
  const supported = { id: 'gpt-5.1', supportedInApi: true }
  const unsupported = { id: 'codex-internal', supportedInApi: false }

  it('hides models not supported in the API, with or without a key (§8.3, §8.4)', () => {
    expect(isPublicModel(unsupported, null)).toBe(false)
    expect(isPublicModel(unsupported, [])).toBe(false)
    expect(isPublicModel(supported, null)).toBe(true)
  })

  it('hides an unsupported model even when the key allows it by name (§8.5)', () => {
    expect(isPublicModel(unsupported, ['codex-internal'])).toBe(false)
  })

  it('filters by the allow-list; null and [] mean every model', () => {
    expect(isPublicModel(supported, ['gpt-5.1'])).toBe(true)
    expect(isPublicModel(supported, ['gpt-4o'])).toBe(false)
    expect(isPublicModel(supported, [])).toBe(true)
    expect(modelInAllowList(['gpt-5.1'], 'GPT-5.1')).toBe(false)
  })

  it('gives /api/models (no key) and an unrestricted key the same list (§8.6)', () => {
    const catalog = [supported, unsupported, { id: 'gpt-4o', supportedInApi: true }]
    const dashboard = catalog.filter((m) => isPublicModel(m, null)).map((m) => m.id)
    const proxy = catalog.filter((m) => isPublicModel(m, [])).map((m) => m.id)
    expect(proxy).toEqual(dashboard)
    expect(dashboard).toEqual(['gpt-5.1', 'gpt-4o'])
  })
})
