import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ApiKeyPrincipal, ApiKeys } from '../../src/modules/api-keys/index.js'
import { ApiKeysRepository } from '../../src/modules/api-keys/repository.js'
import { ReservationsRepository } from '../../src/modules/api-keys/reservations-repository.js'
import { ReservationsService } from '../../src/modules/api-keys/reservations.js'
import type { ManualClock } from '../support/dashboard-client.js'
import { startKeysApp } from '../support/api-keys-app.js'
import { dialects } from '../support/dialects.js'
import { useLostCommitApp } from '../support/lost-commit.js'
import type { TestApp } from '../support/test-app.js'

// Reservations and settlements are written in batches (WriteBatcher): one transaction for those of
// one moment on SQLite.

const DIALECTS = await dialects()
const START = Date.UTC(2026, 10, 1, 12, 0, 0)
const HOUR = 3_600_000
const BUDGET = 8192
const usage = (input: number, output: number) => ({
  inputTokens: input,
  outputTokens: output,
  cachedInputTokens: 0,
  costUsd: 0,
})

for (const dialect of DIALECTS) {
  describe(`API-key settlements in batches (${dialect.name})`, () => {
    let t: TestApp
    let clock: ManualClock
    let keys: ApiKeys

    beforeEach(async () => {
      ;({ t, clock, keys } = await startKeysApp(dialect, START))
    })
    afterEach(async () => t.close())

    async function keyWith(maxValue: number): Promise<ApiKeyPrincipal> {
      const { record } = await keys.service.create({
        name: 'k',
        allowedModels: null,
        expiresAt: null,
        limits: [{ limitType: 'total_tokens', limitWindow: 'daily', maxValue, modelFilter: null }],
      })
      return { id: record.id, name: 'k', allowedModels: null }
    }
    const counter = async (id: string) =>
      (await keys.service.list()).find((k) => k.id === id)?.limits[0]?.currentValue
    const statuses = async () =>
      (
        await t.database.db
          .selectFrom('api_key_usage_reservations')
          .select('status')
          .orderBy('status')
          .execute()
      ).map((r) => r.status)

    it('20 requests settling at once each land exactly once', async () => {
      const key = await keyWith(1_000_000)
      const held = await Promise.all(
        Array.from({ length: 20 }, () => keys.reservations.reserve(key, 'gpt-5.5')),
      )
      expect(await counter(key.id)).toBe(20 * BUDGET)
      await Promise.all(held.map((r, i) => keys.reservations.settle(r, usage(i, 1))))
      // A second round (a retry of all of them) changes nothing.
      await Promise.all(held.map((r) => keys.reservations.settle(r, usage(999, 999))))
      await Promise.all(held.map((r) => keys.reservations.release(r)))
      expect(await counter(key.id)).toBe(190 + 20)
      expect(new Set(await statuses())).toEqual(new Set(['finalized']))
    })

    it('a two-limit reservation that finds its second limit full takes nothing from the first', async () => {
      const { record } = await keys.service.create({
        name: 'two',
        allowedModels: null,
        expiresAt: null,
        limits: [
          {
            limitType: 'total_tokens',
            limitWindow: 'daily',
            maxValue: 5 * BUDGET,
            modelFilter: null,
          },
          {
            limitType: 'output_tokens',
            limitWindow: 'daily',
            maxValue: BUDGET,
            modelFilter: 'gpt-5.5',
          },
        ],
      })
      const key = { id: record.id, name: 'two', allowedModels: null }
      // Handed in together: one batch, where the first takes the room and the others must not.
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, () => keys.reservations.reserve(key, 'gpt-5.5')),
      )
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
      const limits = (await keys.service.list()).find((k) => k.id === key.id)?.limits
      expect(limits?.map((l) => l.currentValue)).toEqual([BUDGET, BUDGET])
    })

    it('a request that finds its key full first waits for the budget its last request gives back', async () => {
      // Room for exactly one reservation: the next request fits only once the last one settled.
      const key = await keyWith(BUDGET)
      const first = await keys.reservations.reserve(key, 'gpt-5.5')
      const settling = keys.reservations.settle(first, usage(40, 2))
      const next = await keys.reservations.reserve(key, 'gpt-5.5')
      await settling
      expect(next?.items[0]?.reservedDelta).toBe(BUDGET - 42)
      expect(await counter(key.id)).toBe(BUDGET)
    })

    it('the sweeper leaves a reservation whose settlement is queued: it lands with its usage', async () => {
      const key = await keyWith(1_000_000)
      const r = await keys.reservations.reserve(key, 'gpt-5.5')
      clock.advance(3 * HOUR)
      const settling = keys.reservations.settle(r, usage(30, 3))
      expect(await keys.reservations.sweepStale(2 * HOUR)).toBe(0)
      await settling
      expect(await statuses()).toEqual(['finalized'])
      expect(await counter(key.id)).toBe(33)
    })

    it('a settlement that fails part-way keeps its reservation whole; after a crash the sweeper releases it', async () => {
      const key = await keyWith(1_000_000)
      const r = await keys.reservations.reserve(key, 'gpt-5.5')
      const db = t.database.db
      // The claim and the counter move go through; recording the item's actual figure fails.
      await db.schema.alterTable('api_key_usage_reservation_items').renameTo('items_away').execute()
      try {
        await expect(keys.reservations.settle(r, usage(10, 1))).rejects.toThrow()
      } finally {
        await db.schema
          .alterTable('items_away')
          .renameTo('api_key_usage_reservation_items')
          .execute()
      }
      expect(await statuses()).toEqual(['reserved'])
      expect(await counter(key.id)).toBe(BUDGET)
      // The process dies with nothing queued; the next one's sweeper gives the budget back.
      const restarted = new ReservationsService(
        new ApiKeysRepository(db),
        new ReservationsRepository(db),
        clock,
      )
      clock.advance(3 * HOUR)
      expect(await restarted.sweepStale(2 * HOUR)).toBe(1)
      expect(await statuses()).toEqual(['released'])
      expect(await counter(key.id)).toBe(0)
    })

    it('the sweeper releases a reservation whose limit was removed since', async () => {
      const key = await keyWith(1_000_000)
      await keys.reservations.reserve(key, 'gpt-5.5')
      await keys.service.update(key.id, { limits: [] })
      clock.advance(3 * HOUR)
      expect(await keys.reservations.sweepStale(2 * HOUR)).toBe(1)
      expect(await statuses()).toEqual(['released'])
    })

    it("stamps a key's lastUsedAt at most once a second", async () => {
      const key = await keyWith(1_000_000)
      const lastUsed = async () => (await keys.service.list())[0]?.lastUsedAt
      const settleOne = async () =>
        keys.reservations.settle(await keys.reservations.reserve(key, 'gpt-5.5'), usage(1, 1))
      await settleOne()
      expect(await lastUsed()).toBe(START)
      clock.advance(600)
      await settleOne()
      expect(await lastUsed()).toBe(START)
      clock.advance(400)
      await settleOne()
      expect(await lastUsed()).toBe(START + 1000)
    })
  })
}

describe('a settlement batch whose COMMIT answer is lost (SQLite)', () => {
  const fx = useLostCommitApp()

  it('every settlement in it hears the failure; their retries land each exactly once', async () => {
    const { record } = await fx.t.app.services.apiKeys.service.create({
      name: 'k',
      allowedModels: null,
      expiresAt: null,
      limits: [
        { limitType: 'total_tokens', limitWindow: 'daily', maxValue: 1_000_000, modelFilter: null },
      ],
    })
    const key = { id: record.id, name: 'k', allowedModels: null }
    const reservations = fx.t.app.services.apiKeys.reservations
    const held = await Promise.all([1, 2, 3].map(() => reservations.reserve(key, 'gpt-5.5')))
    const lossy = new ReservationsService(
      new ApiKeysRepository(fx.lossy),
      new ReservationsRepository(fx.lossy),
      { now: () => Date.now() },
    )
    const first = await Promise.allSettled(held.map((r, i) => lossy.settle(r, usage(i + 1, 0))))
    expect(first.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected'])
    // They were written all the same; the retries (proxy/settle.ts) find them claimed.
    await Promise.all(held.map((r, i) => lossy.settle(r, usage(100 * (i + 1), 0))))
    const db = fx.t.database.db
    const limit = await db.selectFrom('api_key_limits').select('current_value').executeTakeFirst()
    expect(limit?.current_value).toBe(1 + 2 + 3)
    const rows = await db.selectFrom('api_key_usage_reservations').select('status').execute()
    expect(rows.map((r) => r.status)).toEqual(['finalized', 'finalized', 'finalized'])
  })
})
