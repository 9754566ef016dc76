import { describe, expect, it } from 'vitest'
import { draftsToRules, newDraft, sameRules } from './limits'

describe('limit drafts', () => {
  it('drops unfinished rows and sends cost limits in micro-dollars', () => {
    const rules = draftsToRules([
      newDraft({ limitType: 'cost_usd', limitWindow: 'monthly', max: '12.5' }),
      newDraft({ max: '' }),
      newDraft({ max: '-3' }),
      newDraft({ max: '250000', modelFilter: '  gpt-5.5 ' }),
    ])
    expect(rules).toEqual([
      { limitType: 'cost_usd', limitWindow: 'monthly', maxValue: 12_500_000, modelFilter: null },
      {
        limitType: 'total_tokens',
        limitWindow: 'weekly',
        maxValue: 250_000,
        modelFilter: 'gpt-5.5',
      },
    ])
  })

  it('compares rule sets regardless of order', () => {
    const a = draftsToRules([newDraft({ max: '10' }), newDraft({ limitWindow: 'daily', max: '5' })])
    const b = draftsToRules([newDraft({ limitWindow: 'daily', max: '5' }), newDraft({ max: '10' })])
    expect(sameRules(a, b)).toBe(true)
    expect(sameRules(a, draftsToRules([newDraft({ max: '11' })]))).toBe(false)
  })
})
