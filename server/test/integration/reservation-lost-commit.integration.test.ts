import { describe, expect, it } from 'vitest'
import { ReservationsRepository } from '../../src/modules/api-keys/reservations-repository.js'
import { useLostCommitApp } from '../support/lost-commit.js'

// Found by the soak (server/test/soak): PostgreSQL cut off while a reservation committed. The
// COMMIT reached the database but its answer was lost, so the request failed while the reservation
// stayed `reserved`, holding its budget until the stale sweep two hours later.

describe('a reservation whose COMMIT answer is lost', () => {
  const fx = useLostCommitApp()

  it('is released once the database answers, giving its budget back', async () => {
    const { record } = await fx.t.app.services.apiKeys.service.create({
      name: 'k',
      allowedModels: null,
      expiresAt: null,
      limits: [
        { limitType: 'total_tokens', limitWindow: 'daily', maxValue: 100_000, modelFilter: null },
      ],
    })
    const db = fx.t.database.db
    const limit = await db.selectFrom('api_key_limits').selectAll().executeTakeFirstOrThrow()
    const reservation = {
      id: 'ur_lost',
      apiKeyId: record.id,
      model: 'gpt-5.5',
      items: [
        {
          limitId: limit.id,
          limitType: 'total_tokens' as const,
          reservedDelta: 8192,
          expectedResetAt: limit.reset_at,
        },
      ],
    }
    await expect(
      new ReservationsRepository(fx.lossy).reserve(reservation, Date.now()),
    ).rejects.toThrow('not queryable')
    // It did commit: the budget is held.
    const held = await db.selectFrom('api_key_limits').select('current_value').executeTakeFirst()
    expect(held?.current_value).toBe(8192)

    const state = async () => ({
      status: (
        await db
          .selectFrom('api_key_usage_reservations')
          .select('status')
          .where('id', '=', 'ur_lost')
          .executeTakeFirst()
      )?.status,
      counter: (await db.selectFrom('api_key_limits').select('current_value').executeTakeFirst())
        ?.current_value,
    })
    const deadline = Date.now() + 10_000
    while ((await state()).status === 'reserved' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100))
    }
    expect(await state()).toEqual({ status: 'released', counter: 0 })
  })
})
