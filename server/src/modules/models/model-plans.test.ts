import { describe, expect, it } from 'vitest'
import { parsePlans, planCanUseModel, servableByAny } from './model-plans.js'

describe('planCanUseModel', () => {
  const PRO_ONLY = ['pro', 'team', 'business', 'enterprise']
  it.each([
    // account plan, model plans, can use
    ['plus', null, true],
    ['plus', [], true],
    ['plus', ['plus', 'pro'], true],
    ['plus', PRO_ONLY, false],
    ['pro', PRO_ONLY, true],
    ['PRO', PRO_ONLY, true],
    [' team ', PRO_ONLY, true],
    ['free', ['plus', 'pro'], false],
    ['education', ['edu'], true],
    ['edu', ['education'], true],
    ['unknown', PRO_ONLY, true],
    ['', PRO_ONLY, true],
    [null, PRO_ONLY, true],
  ] as const)('%j on a model for %j → %s', (plan, plans, expected) => {
    expect(planCanUseModel(plan, plans)).toBe(expected)
  })
})

describe('parsePlans', () => {
  it.each([
    [undefined, null],
    [null, null],
    ['pro', null],
    [[], null],
    [['', 7], null],
    [
      ['Pro', ' plus ', 3],
      ['pro', 'plus'],
    ],
  ] as const)('%j → %j', (value, expected) => {
    expect(parsePlans(value)).toEqual(expected)
  })
})

describe('servableByAny', () => {
  it.each([
    [null, [], true],
    [['pro'], [], false],
    [['pro'], ['plus'], false],
    [['pro'], ['plus', 'pro'], true],
    [['pro'], ['unknown'], true],
  ] as const)('model for %j with usable plans %j → %s', (plans, usable, expected) => {
    expect(servableByAny({ plans }, usable)).toBe(expected)
  })
})
