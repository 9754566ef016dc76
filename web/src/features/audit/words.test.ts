import { AUDIT_ACTIONS } from '@codex-lb/shared'
import { describe, expect, it } from 'vitest'
import { actionWords, detailsWords } from './words'

describe('audit words', () => {
  it('names every action in words, and shows an unknown one as recorded', () => {
    for (const action of AUDIT_ACTIONS) expect(actionWords(action)).not.toBe(action)
    expect(actionWords('auth.login')).toBe('Signed in')
    expect(actionWords('api_key.regenerated')).toBe('API key regenerated')
    expect(actionWords('future.thing')).toBe('future.thing')
  })

  it('reads changes as from → to and other fields as name: value', () => {
    expect(
      detailsWords({
        routingStrategy: { from: 'fill_first', to: 'round_robin' },
        alias: { from: null, to: 'work' },
        allowedModels: { from: ['a', 'b'], to: [] },
      }),
    ).toBe('routingStrategy: fill_first → round_robin · alias: — → work · allowedModels: a, b → []')
    expect(detailsWords({ step: 'password', reason: 'bad_password' })).toBe(
      'step: password · reason: bad_password',
    )
    expect(detailsWords(null)).toBe('')
  })
})
