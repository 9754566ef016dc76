import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ApiKeys } from '../../src/modules/api-keys/index.js'
import { ApiKeysRepository } from '../../src/modules/api-keys/repository.js'
import { ManualClock, startDialectApp } from '../support/dashboard-client.js'
import { dialects } from '../support/dialects.js'
import type { TestApp } from '../support/test-app.js'

const DIALECTS = await dialects()
const START = Date.UTC(2026, 10, 1, 12, 0, 0)
const BUDGET = 8192
const MAX = 1_000_000

const rule = (modelFilter: string | null = null) => ({
  limitType: 'total_tokens' as const,
  limitWindow: 'daily' as const,
  maxValue: MAX,
  modelFilter,
})

for (const dialect of DIALECTS) {
  describe(`API keys cached for the proxy (${dialect.name})`, () => {
    let t: TestApp
    let keys: ApiKeys

    beforeEach(async () => {
      t = await startDialectApp(dialect, { clock: new ManualClock(START) })
      keys = t.app.services.apiKeys
    })
    afterEach(async () => {
      vi.restoreAllMocks()
      await t.close()
    })

    const currentValues = async (apiKeyId: string) =>
      (
        await t.database.db
          .selectFrom('api_key_limits')
          .select(['current_value'])
          .where('api_key_id', '=', apiKeyId)
          .orderBy('id')
          .execute()
      ).map((r) => Number(r.current_value))
    const reservationRows = async () =>
      (await t.database.db.selectFrom('api_key_usage_reservations').select('id').execute()).length

    it('reads the key and its rules once; every reservation still goes to the database', async () => {
      const created = await keys.service.create({
        name: 'k',
        allowedModels: null,
        expiresAt: null,
        limits: [rule()],
      })
      const byHash = vi.spyOn(ApiKeysRepository.prototype, 'findByHash')
      const limitsOf = vi.spyOn(ApiKeysRepository.prototype, 'limitsOf')
      for (let i = 0; i < 3; i++) {
        const principal = await keys.service.authenticate(created.key)
        await keys.reservations.reserve(principal, 'gpt-5.5')
      }
      expect(byHash).toHaveBeenCalledTimes(1)
      expect(limitsOf).toHaveBeenCalledTimes(1)
      expect(await currentValues(created.record.id)).toEqual([3 * BUDGET])
      expect(await reservationRows()).toBe(3)
    })

    it('a change through the service applies to the very next request', async () => {
      const created = await keys.service.create({
        name: 'k',
        allowedModels: null,
        expiresAt: null,
        limits: [rule()],
      })
      const id = created.record.id
      const principal = await keys.service.authenticate(created.key)
      await keys.reservations.reserve(principal, 'gpt-5.5')
      // A second rule: the next reservation holds budget on both.
      await keys.service.update(id, { limits: [rule(), rule('gpt-5.5')] })
      await keys.reservations.reserve(await keys.service.authenticate(created.key), 'gpt-5.5')
      expect(await currentValues(id)).toEqual([2 * BUDGET, BUDGET])
      const fresh = await keys.service.regenerate(id)
      await expect(keys.service.authenticate(created.key)).rejects.toThrow('Invalid API key')
      await keys.service.authenticate(fresh.key)
      await keys.service.update(id, { isActive: false })
      await expect(keys.service.authenticate(fresh.key)).rejects.toThrow('Invalid API key')
    })

    it('a peer spending the budget behind the cache: the database refuses, nothing is overspent', async () => {
      const created = await keys.service.create({
        name: 'k',
        allowedModels: null,
        expiresAt: null,
        limits: [rule()],
      })
      const id = created.record.id
      const principal = await keys.service.authenticate(created.key)
      await keys.reservations.reserve(principal, 'gpt-5.5')
      // Another replica took all but 100 tokens: this replica's cached rule still shows room.
      await t.database.db
        .updateTable('api_key_limits')
        .set({ current_value: MAX - 100 })
        .where('api_key_id', '=', id)
        .execute()
      const last = await keys.reservations.reserve(principal, 'gpt-5.5')
      expect(last?.items.map((i) => i.reservedDelta)).toEqual([100])
      expect(await currentValues(id)).toEqual([MAX])
      await expect(keys.reservations.reserve(principal, 'gpt-5.5')).rejects.toThrow(
        /limit exceeded/,
      )
      expect(await currentValues(id)).toEqual([MAX])
    })
  })
}
