import { describe, expect, it } from 'vitest'
import { AppError } from '../../errors/index.js'
import { KeyInFlight } from './in-flight.js'
import { NO_POLICY, checkPolicy, type KeyPolicy, type PolicyFacts } from './policy.js'

const policy = (p: Partial<KeyPolicy>): KeyPolicy => ({ ...NO_POLICY, ...p })
const facts = (reasoningEffort: string | null, serviceTier: string | null): PolicyFacts => ({
  reasoningEffort,
  serviceTier,
})

function refusal(p: KeyPolicy, f: PolicyFacts): Record<string, unknown> | null {
  try {
    checkPolicy(p, f)
    return null
  } catch (err) {
    if (!(err instanceof AppError)) throw err
    return { status: err.status, code: err.code, param: err.param, message: err.message }
  }
}

describe('checkPolicy', () => {
  const efforts = policy({ allowedReasoningEfforts: ['low', 'medium'] })
  const tiers = policy({ allowedServiceTiers: ['default', 'flex'] })

  it.each([
    [NO_POLICY, facts('xhigh', 'priority'), null],
    [efforts, facts('low', null), null],
    [efforts, facts('MEDIUM', null), null],
    [efforts, facts(null, null), null],
    [efforts, facts('high', null), 'reasoning_effort_not_allowed'],
    [tiers, facts(null, 'flex'), null],
    [tiers, facts(null, null), null],
    [tiers, facts(null, 'priority'), 'service_tier_not_allowed'],
    [tiers, facts(null, 'fast'), 'service_tier_not_allowed'],
    [policy({ allowedServiceTiers: ['priority'] }), facts(null, 'fast'), null],
  ])('%#: %j %j → %s', (p, f, code) => {
    expect(refusal(p, f)?.['code'] ?? null).toBe(code)
  })

  it('names the refused value, the allowed ones and the parameter', () => {
    expect(refusal(efforts, facts('high', null))).toEqual({
      status: 403,
      code: 'reasoning_effort_not_allowed',
      param: 'reasoning.effort',
      message: "This API key does not allow reasoning effort 'high'. Allowed: low, medium.",
    })
    expect(refusal(tiers, facts(null, 'priority'))).toMatchObject({
      status: 403,
      param: 'service_tier',
      message: "This API key does not allow service tier 'priority'. Allowed: default, flex.",
    })
  })
})

describe('KeyInFlight', () => {
  it('admits up to the cap per key, and each release gives back one slot, once', () => {
    const inFlight = new KeyInFlight()
    const a1 = inFlight.tryAcquire('a', 2)
    const a2 = inFlight.tryAcquire('a', 2)
    expect(a1 && a2).toBeTruthy()
    expect(inFlight.tryAcquire('a', 2)).toBeNull()
    expect(inFlight.tryAcquire('b', 2)).not.toBeNull()
    a1!()
    a1!()
    expect(inFlight.count('a')).toBe(1)
    expect(inFlight.tryAcquire('a', 2)).not.toBeNull()
    expect(inFlight.tryAcquire('a', 2)).toBeNull()
  })

  it('counts without a cap, so a cap set later sees the requests already running', () => {
    const inFlight = new KeyInFlight()
    const free = [1, 2, 3].map(() => inFlight.tryAcquire('a', null))
    expect(inFlight.tryAcquire('a', 3)).toBeNull()
    free.forEach((f) => f!())
    expect(inFlight.count('a')).toBe(0)
  })
})
