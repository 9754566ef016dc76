import { describe, expect, it } from 'vitest'
import { describeFailure } from '../../upstream/failure.js'
import { costWithPrices } from '../request-logs/pricing.js'
import { redactKey } from '../proxy/overflow-route.js'
import { OverflowCooldowns } from './cooldowns.js'
import { keyPrefix, parseModels, routeFor } from './model.js'

describe('routeFor', () => {
  const named = {
    models: [
      { model: 'GPT-5.5', upstreamModel: 'gpt-5.1' },
      { model: 'gpt-5.4', upstreamModel: null },
    ],
  }
  it.each([
    [{ models: [] }, 'gpt-5.5', { match: 'any', upstreamModel: 'gpt-5.5' }],
    [named, 'gpt-5.5', { match: 'named', upstreamModel: 'gpt-5.1' }],
    [named, 'gpt-5.4', { match: 'named', upstreamModel: 'gpt-5.4' }],
    [named, 'gpt-5.3', undefined],
  ])('%j serves %s as %j', (upstream, model, expected) => {
    expect(routeFor(upstream, model)).toEqual(expected)
  })
})

describe('stored shapes', () => {
  it('keeps a third of the key at most 10 characters; reads models leniently', () => {
    expect(keyPrefix('sk-proj-abcdefghijklmnopqrstuvwxyz')).toBe('sk-proj-ab')
    expect(keyPrefix('sk-123')).toBe('sk')
    expect(parseModels('[{"model":"a","upstreamModel":"b"},{"model":"c"},7]')).toEqual([
      { model: 'a', upstreamModel: 'b' },
      { model: 'c', upstreamModel: null },
    ])
    expect(parseModels('not json')).toEqual([])
  })
})

describe('redactKey', () => {
  it('removes the key and masked key echoes', () => {
    const key = 'sk-live-0123456789abcdef'
    expect(redactKey(`bad key ${key}!`, key)).toBe('bad key [redacted]!')
    expect(redactKey('Incorrect API key provided: sk-liv***cdef.', key)).toBe(
      'Incorrect API key provided: sk-[redacted].',
    )
  })
})

describe('costWithPrices', () => {
  const usage = { inputTokens: 1000, cachedInputTokens: 200, outputTokens: 100, reasoningTokens: 0 }
  it('uses its own prices, the model’s for a part left empty, unknown without either', () => {
    expect(costWithPrices('x', usage, { input: 2, cachedInput: 0.5, output: 10 })).toBeCloseTo(
      (800 * 2 + 200 * 0.5 + 100 * 10) / 1e6,
      12,
    )
    // gpt-5.1: 1.25 / 0.125 / 10 built in.
    expect(
      costWithPrices('gpt-5.1', usage, { input: 2, cachedInput: null, output: null }),
    ).toBeCloseTo((800 * 2 + 200 * 0.125 + 100 * 10) / 1e6, 12)
    expect(costWithPrices('unknown', usage, { input: 2, cachedInput: null, output: null })).toBe(
      undefined,
    )
  })
})

describe('OverflowCooldowns', () => {
  const now = 1_000_000
  it('backs off exponentially, honours Retry-After, caps at 5 minutes, and clears on success', () => {
    const c = new OverflowCooldowns(() => 0.5)
    const transient = describeFailure(500, { error: { code: 'server_error' } }, {}, now)
    expect(c.fail('a', transient, now) - now).toBe(1000)
    expect(c.fail('a', transient, now) - now).toBe(2000)
    expect(c.until('a', now)).toBe(now + 2000)
    expect(c.until('a', now + 2000)).toBeUndefined()
    const limited = describeFailure(
      429,
      { error: { code: 'rate_limit_exceeded' } },
      { 'retry-after': '30' },
      now,
    )
    expect(c.fail('b', limited, now) - now).toBe(30_000)
    const quota = describeFailure(
      429,
      { error: { code: 'insufficient_quota', resets_in_seconds: 86_400 } },
      {},
      now,
    )
    expect(c.fail('c', quota, now) - now).toBe(300_000)
    c.succeed('a')
    expect(c.until('a', now)).toBeUndefined()
  })
})
