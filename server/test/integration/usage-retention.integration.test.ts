import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock, startDialectApp } from '../support/dashboard-client.js'
import { dialects } from '../support/dialects.js'
import { insertAccount, insertUsage } from '../support/log-rows.js'
import type { TestApp } from '../support/test-app.js'

const DIALECTS = await dialects()
const DAY = 86_400_000
const NOW = Date.UTC(2026, 10, 20, 15, 30, 0)

for (const dialect of DIALECTS) {
  describe(`usage_history retention (${dialect.name})`, () => {
    let t: TestApp
    beforeAll(async () => {
      t = await startDialectApp(dialect, { clock: new ManualClock(NOW) })
    })
    afterAll(async () => t.close())

    it('deletes samples older than 30 days and keeps the rest', async () => {
      const db = t.database.db
      await insertAccount(db, { id: 'acc', email: 'acc@example.com' })
      const sample = (recorded_at: number) => ({
        account_id: 'acc',
        window: 'primary' as const,
        used_percent: 5,
        recorded_at,
      })
      await insertUsage(db, [
        sample(NOW - 31 * DAY),
        sample(NOW - 30 * DAY - 1),
        sample(NOW - 30 * DAY),
        sample(NOW - DAY),
      ])
      expect(await t.app.services.usageRetention.pruneUsageHistory()).toBe(2)
      const left = await db.selectFrom('usage_history').select('recorded_at').execute()
      expect(left.map((r) => Number(r.recorded_at)).sort()).toEqual([NOW - 30 * DAY, NOW - DAY])
      expect(await t.app.services.usageRetention.pruneUsageHistory()).toBe(0)
    })
  })
}
