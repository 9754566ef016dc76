import { describe, expect, it } from 'vitest'
import {
  WINDOW_MS,
  actualUsage,
  effectiveRule,
  findDuplicateRule,
  nextResetAt,
  planLimitUpsert,
  planUsageReset,
  ruleAppliesTo,
  type LimitRule,
  type LimitRuleInput,
} from './limits.js'

const DAY = 86_400_000
const NOW = 1_800_000_000_000

const rule = (over: Partial<LimitRule> = {}): LimitRule => ({
  id: 1,
  limitType: 'total_tokens',
  limitWindow: 'weekly',
  maxValue: 100,
  currentValue: 40,
  modelFilter: null,
  resetAt: NOW + DAY,
  ...over,
})
const input = (over: Partial<LimitRuleInput> = {}): LimitRuleInput => ({
  limitType: 'total_tokens',
  limitWindow: 'weekly',
  maxValue: 100,
  modelFilter: null,
  ...over,
})

describe('window arithmetic', () => {
  it.each([
    ['future reset stays', NOW + 5, 'daily', NOW + 5],
    ['reset exactly now moves one window', NOW, 'daily', NOW + DAY],
    ['one ms late moves one window', NOW - 1, 'daily', NOW - 1 + DAY],
    ['three windows late moves to strictly after now', NOW - 3 * DAY, 'daily', NOW + DAY],
    ['monthly is 30 days', NOW - 1, 'monthly', NOW - 1 + 30 * DAY],
  ] as const)('%s', (_, resetAt, window, expected) => {
    const next = nextResetAt(resetAt, window, NOW)
    expect(next).toBe(expected)
    expect(next).toBeGreaterThan(NOW)
    expect((next - resetAt) % WINDOW_MS[window]).toBe(0)
  })

  it('effectiveRule shows an ended window as empty with its next reset', () => {
    expect(effectiveRule(rule(), NOW)).toEqual(rule())
    expect(effectiveRule(rule({ resetAt: NOW - DAY }), NOW)).toMatchObject({
      currentValue: 0,
      resetAt: NOW + 6 * DAY,
    })
  })
})

describe('applicability (seed 002 §5.2)', () => {
  it.each([
    [null, 'gpt-5.1', true],
    [null, null, true],
    ['gpt-5.1', 'gpt-5.1', true],
    ['gpt-5.1', 'gpt-4o-mini', false],
    ['gpt-5.1', 'GPT-5.1', false],
    ['gpt-5.1', null, false],
  ] as const)('filter %s, model %s → %s', (modelFilter, model, expected) => {
    expect(ruleAppliesTo(input({ modelFilter }), model)).toBe(expected)
  })
})

describe('actualUsage', () => {
  const usage = { inputTokens: 10, outputTokens: 5, cachedInputTokens: 3, costUsd: 0.0123456 }
  it.each([
    ['total_tokens', 15],
    ['input_tokens', 10],
    ['output_tokens', 5],
    ['cost_usd', 12346],
  ] as const)('%s → %d', (type, expected) => {
    expect(actualUsage(type, usage)).toBe(expected)
  })
  it('unknown cost counts as zero', () => {
    expect(actualUsage('cost_usd', { ...usage, costUsd: undefined })).toBe(0)
  })
})

describe('state-preserving upsert (seed 002 §7)', () => {
  const existing = [
    rule({ id: 1 }),
    rule({ id: 2, limitType: 'cost_usd', limitWindow: 'daily', currentValue: 7 }),
  ]

  it('the same policy, reordered, changes nothing but max values', () => {
    const plan = planLimitUpsert(
      existing,
      [input({ limitType: 'cost_usd', limitWindow: 'daily' }), input()],
      false,
      NOW,
    )
    expect(plan).toEqual({
      update: [
        { id: 2, maxValue: 100, reset: null },
        { id: 1, maxValue: 100, reset: null },
      ],
      insert: [],
      remove: [],
    })
  })

  it('a max change keeps usage; a new identity starts fresh; a missing one is removed', () => {
    const plan = planLimitUpsert(
      existing,
      [input({ maxValue: 5 }), input({ modelFilter: 'gpt-5.1' })],
      false,
      NOW,
    )
    expect(plan.update).toEqual([{ id: 1, maxValue: 5, reset: null }])
    expect(plan.insert).toEqual([{ ...input({ modelFilter: 'gpt-5.1' }), resetAt: NOW + 7 * DAY }])
    expect(plan.remove).toEqual([2])
  })

  it('resetUsage restarts every kept window; without limits it restarts them all', () => {
    expect(planLimitUpsert(existing, [input()], true, NOW).update).toEqual([
      { id: 1, maxValue: 100, reset: { resetAt: NOW + 7 * DAY } },
    ])
    expect(planUsageReset(existing, NOW).update).toEqual([
      { id: 1, maxValue: 100, reset: { resetAt: NOW + 7 * DAY } },
      { id: 2, maxValue: 100, reset: { resetAt: NOW + DAY } },
    ])
  })

  it('finds duplicate identities (model filter is part of the identity)', () => {
    expect(findDuplicateRule([input(), input({ modelFilter: 'gpt-5.1' })])).toBeUndefined()
    expect(findDuplicateRule([input(), input({ maxValue: 9 })])).toEqual(input({ maxValue: 9 }))
  })
})
