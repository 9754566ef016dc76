import { sql } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock, startDialectApp } from '../support/dashboard-client.js'
import { dialects } from '../support/dialects.js'
import type { TestApp } from '../support/test-app.js'

const DIALECTS = await dialects()
const START = Date.UTC(2026, 11, 5, 9, 0, 0)

for (const dialect of DIALECTS) {
  describe(`audit recorder (${dialect.name})`, () => {
    let t: TestApp
    beforeEach(async () => {
      t = await startDialectApp(dialect, { clock: new ManualClock(START) })
    })
    afterEach(async () => t.close())

    it('stores one row per action with its outcome, target, client and scrubbed details', async () => {
      await t.app.services.audit.record({
        action: 'settings.updated',
        details: {
          routingStrategy: { from: 'fill_first', to: 'round_robin' },
          password: 'hunter2',
        },
        client: { ip: '127.0.0.1', userAgent: 'vitest' },
      })
      await t.app.services.audit.record({
        action: 'auth.login',
        outcome: 'failure',
        target: { type: 'dashboard', id: null },
        details: { step: 'password', reason: 'bad_password' },
      })
      const rows = await t.database.db.selectFrom('audit_log').selectAll().orderBy('id').execute()
      expect(
        rows.map((r) => ({ ...r, id: Number(r.id), occurred_at: Number(r.occurred_at) })),
      ).toEqual([
        {
          id: 1,
          occurred_at: START,
          action: 'settings.updated',
          outcome: 'success',
          target_type: null,
          target_id: null,
          client_ip: '127.0.0.1',
          user_agent: 'vitest',
          details: '{"routingStrategy":{"from":"fill_first","to":"round_robin"}}',
        },
        {
          id: 2,
          occurred_at: START,
          action: 'auth.login',
          outcome: 'failure',
          target_type: 'dashboard',
          target_id: null,
          client_ip: null,
          user_agent: null,
          details: '{"step":"password","reason":"bad_password"}',
        },
      ])
    })

    it('a failed write neither rejects nor stops the next action', async () => {
      await sql`drop table audit_log`.execute(t.database.db)
      await expect(t.app.services.audit.record({ action: 'auth.logout' })).resolves.toBeUndefined()
      expect((await fetch(`${t.url}/api/settings`)).status).toBe(200)
    })
  })
}
