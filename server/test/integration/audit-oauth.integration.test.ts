import { setTimeout as delay } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Sleep } from '../../src/modules/oauth/index.js'
import { DashboardClient } from '../support/dashboard-client.js'
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream.js'
import { startOAuth, waitForFlow } from '../support/oauth.js'
import { startTestApp, type TestApp } from '../support/test-app.js'

interface Entry {
  action: string
  outcome: string
  targetId: string | null
  clientIp: string | null
  details: Record<string, unknown> | null
}

// SQLite only: what this adds over audit-log/audit-accounts is the OAuth flow, not the storage.
describe('audit log of OAuth sign-ins', () => {
  let fake: FakeUpstream
  let t: TestApp
  let api: DashboardClient
  let offset = 0
  const clock = { now: () => Date.now() + offset }
  const sleep: Sleep = async (ms, signal) => {
    offset += ms
    await delay(1, undefined, { signal })
  }

  beforeAll(async () => {
    fake = await startFakeUpstream()
    t = await startTestApp({
      clock,
      oauthDevicePolling: { sleep },
      env: { AUTH_BASE_URL: fake.authBaseUrl, OAUTH_CALLBACK_PORT: '0' },
    })
    api = new DashboardClient(t.url)
  })
  afterAll(async () => {
    await t.close()
    await fake.close()
  })

  /** The flow ends before its record is written: wait for the row rather than race it. */
  async function entriesOnceThere(count: number): Promise<Entry[]> {
    for (let i = 0; i < 100; i++) {
      const { entries } = (await api.get('/api/audit')).body as { entries: Entry[] }
      if (entries.length >= count) return entries
      await delay(20)
    }
    throw new Error(`fewer than ${count} audit entries`)
  }

  it('records a device sign-in as account added, and the same account again as signed in again', async () => {
    const account = fake.addAccount({ email: 'device@example.com' })
    fake.scriptDevice({ account, pendingPolls: 0 })
    const first = await startOAuth(api, { force_method: 'device' })
    const done = await waitForFlow(api, first.flowId)
    expect(done.status).toBe('success')
    await entriesOnceThere(1)

    fake.scriptDevice({ account, pendingPolls: 0 })
    const second = await startOAuth(api, { force_method: 'device' })
    expect((await waitForFlow(api, second.flowId)).status).toBe('success')

    const entries = await entriesOnceThere(2)
    expect(entries.map((e) => [e.action, e.outcome, e.targetId, e.clientIp])).toEqual([
      ['account.reauthenticated', 'success', done.accountId, '127.0.0.1'],
      ['account.added', 'success', done.accountId, '127.0.0.1'],
    ])
    expect(entries[1]!.details).toEqual({ method: 'oauth_device', email: 'device@example.com' })
    const raw = JSON.stringify(await t.database.db.selectFrom('audit_log').selectAll().execute())
    for (const session of fake.deviceSessions) {
      expect(raw).not.toContain(session.deviceAuthId)
      expect(raw).not.toContain(session.userCode)
    }
  })
})
