import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ApiKeyPrincipal, ApiKeys } from '../../src/modules/api-keys/index.js'
import type { ManualClock } from '../support/dashboard-client.js'
import { startKeysApp } from '../support/api-keys-app.js'
import { dialects } from '../support/dialects.js'
import type { TestApp } from '../support/test-app.js'

const DIALECTS = await dialects()
const START = Date.UTC(2026, 10, 1, 12, 0, 0)
const DAY = 86_400_000
const BUDGET = 8192

type Rule = {
  limitType: 'total_tokens' | 'input_tokens' | 'output_tokens' | 'cost_usd'
  limitWindow: 'daily' | 'weekly' | 'monthly'
  maxValue: number
  modelFilter: string | null
}

const usage = (input: number, output: number, costUsd = 0) => ({
  inputTokens: input,
  outputTokens: output,
  cachedInputTokens: 0,
  costUsd,
})

for (const dialect of DIALECTS) {
  describe(`API-key limit reservations (${dialect.name})`, () => {
    let t: TestApp
    let clock: ManualClock
    let keys: ApiKeys

    beforeEach(async () => {
      ;({ t, clock, keys } = await startKeysApp(dialect, START))
    })
    afterEach(async () => t.close())

    async function keyWith(limits: Rule[], allowedModels: string[] | null = null) {
      const { record } = await keys.service.create({
        name: 'k',
        allowedModels,
        expiresAt: null,
        limits,
      })
      const principal: ApiKeyPrincipal = { id: record.id, name: 'k', allowedModels }
      return principal
    }
    const limitsOf = async (id: string) =>
      (await keys.service.list()).find((k) => k.id === id)?.limits ?? []

    /** Spends the limit up to its max through a real reservation. */
    async function exhaust(principal: ApiKeyPrincipal, model: string, tokens: number) {
      const r = await keys.reservations.reserve(principal, model)
      await keys.reservations.settle(r, usage(tokens, 0))
    }

    it('a model-scoped limit blocks only its model (seed 002 §5.4, §5.5)', async () => {
      const key = await keyWith([
        { limitType: 'total_tokens', limitWindow: 'daily', maxValue: 100, modelFilter: 'gpt-5.1' },
      ])
      await exhaust(key, 'gpt-5.1', 100)
      const other = await keys.reservations.reserve(key, 'gpt-4o-mini')
      expect(other).not.toBeNull()
      await keys.reservations.release(other)
      await expect(keys.reservations.reserve(key, 'gpt-5.1')).rejects.toMatchObject({
        status: 429,
        code: 'rate_limit_exceeded',
        type: 'rate_limit_error',
        message: `API key total_tokens daily limit exceeded for model gpt-5.1. Usage resets at ${new Date(START + DAY).toISOString()}.`,
      })
    })

    it('an exhausted global limit blocks every model (seed 002 §5.7)', async () => {
      const key = await keyWith([
        { limitType: 'input_tokens', limitWindow: 'weekly', maxValue: 50, modelFilter: null },
      ])
      await exhaust(key, 'gpt-5.1', 60)
      for (const model of ['gpt-5.1', 'gpt-4o-mini']) {
        await expect(keys.reservations.reserve(key, model)).rejects.toMatchObject({
          status: 429,
          message: expect.stringMatching(
            /^API key input_tokens weekly limit exceeded\. Usage resets at /,
          ),
        })
      }
    })

    it('refuses models outside allowedModels with 403 model_not_allowed', async () => {
      const key = await keyWith([], ['gpt-5.1'])
      await expect(keys.reservations.reserve(key, 'gpt-4o')).rejects.toMatchObject({
        status: 403,
        code: 'model_not_allowed',
        type: 'permission_error',
        message: "This API key does not have access to model 'gpt-4o'",
      })
      expect(await keys.reservations.reserve(key, 'gpt-5.1')).not.toBeNull()
      expect(await keys.reservations.reserve(null, 'anything')).toBeNull()
    })

    it('50 concurrent reserves never spend past a budget that admits 10', async () => {
      const max = 10 * BUDGET
      const key = await keyWith([
        { limitType: 'total_tokens', limitWindow: 'daily', maxValue: max, modelFilter: null },
      ])
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, () => keys.reservations.reserve(key, 'gpt-5.1')),
      )
      const won = results.filter((r) => r.status === 'fulfilled')
      const lost = results.filter((r) => r.status === 'rejected')
      for (const r of lost) expect(r.reason).toMatchObject({ status: 429 })
      expect(won.length).toBeGreaterThanOrEqual(1)
      expect(won.length).toBeLessThanOrEqual(10)
      const [limit] = await limitsOf(key.id)
      expect(limit?.currentValue).toBe(won.length * BUDGET)
      expect(limit?.currentValue).toBeLessThanOrEqual(max)

      await Promise.all(won.map((r) => keys.reservations.release(r.value)))
      expect((await limitsOf(key.id))[0]?.currentValue).toBe(0)
    })

    it('concurrent reserves over a global and a model limit stay within both', async () => {
      const key = await keyWith([
        {
          limitType: 'total_tokens',
          limitWindow: 'daily',
          maxValue: 5 * BUDGET,
          modelFilter: null,
        },
        {
          limitType: 'output_tokens',
          limitWindow: 'daily',
          maxValue: 3 * BUDGET,
          modelFilter: 'gpt-5.1',
        },
      ])
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          keys.reservations.reserve(key, i % 2 === 0 ? 'gpt-5.1' : 'gpt-4o-mini'),
        ),
      )
      const [global, scoped] = await limitsOf(key.id)
      expect(global?.currentValue).toBeLessThanOrEqual(5 * BUDGET)
      expect(scoped?.currentValue).toBeLessThanOrEqual(3 * BUDGET)
      const won = results.filter((r) => r.status === 'fulfilled').length
      expect(global?.currentValue).toBe(won * BUDGET)
    })

    it('settle adjusts by actual − reserved, exactly once; release after settle is a no-op', async () => {
      const key = await keyWith([
        { limitType: 'total_tokens', limitWindow: 'weekly', maxValue: 100_000, modelFilter: null },
        { limitType: 'cost_usd', limitWindow: 'monthly', maxValue: 10_000_000, modelFilter: null },
      ])
      const r = await keys.reservations.reserve(key, 'gpt-5.1')
      expect((await limitsOf(key.id)).map((l) => l.currentValue)).toEqual([BUDGET, 2_000_000])
      clock.advance(1000)
      await keys.reservations.settle(r, usage(10, 5, 0.25))
      await keys.reservations.settle(r, usage(1000, 1000, 1))
      await keys.reservations.release(r)
      expect((await limitsOf(key.id)).map((l) => l.currentValue)).toEqual([15, 250_000])
      const record = (await keys.service.list())[0]
      expect(record?.lastUsedAt).toBe(START + 1000)
      const row = await t.database.db
        .selectFrom('api_key_usage_reservations')
        .selectAll()
        .executeTakeFirstOrThrow()
      expect(row).toMatchObject({
        status: 'finalized',
        input_tokens: 10,
        output_tokens: 5,
        cost_microdollars: 250_000,
      })
    })

    it('release gives the budget back once; settle after release is a no-op', async () => {
      const key = await keyWith([
        { limitType: 'total_tokens', limitWindow: 'weekly', maxValue: 100_000, modelFilter: null },
      ])
      const kept = await keys.reservations.reserve(key, 'gpt-5.1')
      const r = await keys.reservations.reserve(key, 'gpt-5.1')
      await keys.reservations.release(r)
      await keys.reservations.release(r)
      await keys.reservations.settle(r, usage(50, 50))
      expect((await limitsOf(key.id))[0]?.currentValue).toBe(BUDGET)
      await keys.reservations.settle(kept, usage(1, 2))
      expect((await limitsOf(key.id))[0]?.currentValue).toBe(3)
    })

    it('an ended window starts over lazily, advanced by whole windows', async () => {
      const key = await keyWith([
        { limitType: 'total_tokens', limitWindow: 'daily', maxValue: 100, modelFilter: null },
      ])
      await exhaust(key, 'gpt-5.1', 100)
      await expect(keys.reservations.reserve(key, 'gpt-5.1')).rejects.toMatchObject({ status: 429 })
      clock.advance(3 * DAY + 5000)
      const r = await keys.reservations.reserve(key, 'gpt-5.1')
      const [limit] = await limitsOf(key.id)
      expect(limit).toMatchObject({ currentValue: 100, resetAt: START + 4 * DAY })
      // Usage from the old window is not subtracted from the new one.
      await keys.reservations.settle(r, usage(7, 0))
      expect((await limitsOf(key.id))[0]?.currentValue).toBe(7)
    })

    it('a key without limits reserves nothing but stamps lastUsedAt on settle', async () => {
      const key = await keyWith([])
      const r = await keys.reservations.reserve(key, 'gpt-5.1')
      expect(r?.persisted).toBe(false)
      clock.advance(500)
      await keys.reservations.settle(r, usage(1, 1))
      expect((await keys.service.list())[0]?.lastUsedAt).toBe(START + 500)
      const rows = await t.database.db
        .selectFrom('api_key_usage_reservations')
        .selectAll()
        .execute()
      expect(rows).toEqual([])
    })
  })
}
