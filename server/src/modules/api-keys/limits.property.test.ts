import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fuzzParams } from '../../../test/support/fuzz.js'
import {
  WINDOW_MS,
  findDuplicateRule,
  limitIdentity,
  nextResetAt,
  planLimitUpsert,
  type LimitRule,
  type LimitRuleInput,
} from './limits.js'

const window = fc.constantFrom('daily', 'weekly', 'monthly' as const)
const time = fc.integer({ min: 0, max: Date.UTC(2200, 0, 1) })
const input: fc.Arbitrary<LimitRuleInput> = fc.record({
  limitType: fc.constantFrom('total_tokens', 'input_tokens', 'output_tokens', 'cost_usd' as const),
  limitWindow: window,
  maxValue: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  // Few filters, so submitted rules often share an identity with stored ones.
  modelFilter: fc.constantFrom(null, 'gpt-5', 'gpt-5-codex'),
})
const inputs = fc.uniqueArray(input, { maxLength: 8, selector: limitIdentity })
const stored: fc.Arbitrary<LimitRule[]> = inputs.chain((rules) =>
  fc
    .tuple(...rules.map(() => fc.tuple(fc.nat(), time)))
    .map((extra) =>
      rules.map((r, i) => ({ ...r, id: i + 1, currentValue: extra[i]![0], resetAt: extra[i]![1] })),
    ),
)

describe('limit rule properties', () => {
  it('moves a reset time forward by whole windows to just after now', () => {
    const prop = fc.property(time, window, time, (resetAt, w, now) => {
      const next = nextResetAt(resetAt, w, now)
      if (resetAt > now) {
        expect(next).toBe(resetAt)
        return
      }
      expect(next).toBeGreaterThan(now)
      expect(next - WINDOW_MS[w]).toBeLessThanOrEqual(now)
      expect((next - resetAt) % WINDOW_MS[w]).toBe(0)
    })
    fc.assert(prop, fuzzParams(300))
  })

  it('finds a duplicate exactly when two rules share type, window and model filter', () => {
    const prop = fc.property(fc.array(input, { maxLength: 8 }), (rules) => {
      const unique = new Set(rules.map(limitIdentity)).size === rules.length
      expect(findDuplicateRule(rules) === undefined).toBe(unique)
    })
    fc.assert(prop, fuzzParams(300))
  })

  it('upserts by identity: kept rules keep their usage, new ones start fresh, missing ones go', () => {
    const prop = fc.property(
      stored,
      inputs,
      fc.boolean(),
      time,
      (existing, submitted, reset, now) => {
        const plan = planLimitUpsert(existing, submitted, reset, now)
        const byIdentity = new Map(existing.map((r) => [limitIdentity(r), r]))
        // Every stored rule is either updated or removed, never both.
        const updated = plan.update.map((u) => u.id)
        expect([...updated, ...plan.remove].sort((a, b) => a - b)).toEqual(
          existing.map((r) => r.id),
        )
        expect(plan.update.length + plan.insert.length).toBe(submitted.length)
        for (const rule of submitted) {
          const match = byIdentity.get(limitIdentity(rule))
          const fresh = now + WINDOW_MS[rule.limitWindow]
          if (match) {
            expect(plan.update).toContainEqual({
              id: match.id,
              maxValue: rule.maxValue,
              reset: reset ? { resetAt: fresh } : null,
            })
          } else {
            expect(plan.insert).toContainEqual({ ...rule, resetAt: fresh })
          }
        }
      },
    )
    fc.assert(prop, fuzzParams(300))
  })
})
