import { describe, expect, it } from 'vitest'
import { costUsd, priceFor } from './pricing.js'

describe('pricing', () => {
  it.each([
    ['gpt-5', 1.25],
    ['GPT-5.1-Codex', 1.25],
    ['gpt-5.3-codex', 1.75],
    ['gpt-5.1-codex-mini-x', 0.25],
    ['gpt-5.5', 1.25],
  ])('%s costs %d per 1M input', (model, input) => {
    expect(priceFor(model)?.input).toBe(input)
  })

  it('has no price for unknown models', () => {
    expect(priceFor('o3')).toBeUndefined()
    expect(
      costUsd('o3', { inputTokens: 1, cachedInputTokens: 0, outputTokens: 1, reasoningTokens: 0 }),
    ).toBeUndefined()
  })

  it('bills cached input at the cached rate', () => {
    const cost = costUsd('gpt-5', {
      inputTokens: 1_000_000,
      cachedInputTokens: 400_000,
      outputTokens: 100_000,
      reasoningTokens: 0,
    })
    expect(cost).toBeCloseTo(0.6 * 1.25 + 0.4 * 0.125 + 0.1 * 10, 10)
  })
})
