import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DashboardClient, startDialectApp } from '../support/dashboard-client.js'
import { dialects } from '../support/dialects.js'
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream.js'
import type { TestApp } from '../support/test-app.js'

const DIALECTS = await dialects()
const ROUTING = { stickyThreadsEnabled: true, preferEarlierResetAccounts: false }

describe.each(DIALECTS)('concurrency caps in the dashboard API ($name)', (dialect) => {
  let t: TestApp
  let fake: FakeUpstream
  let api: DashboardClient
  beforeEach(async () => {
    fake = await startFakeUpstream()
    t = await startDialectApp(dialect, {
      env: { ACCOUNT_MAX_STREAMS: '5', ACCOUNT_QUEUE_WAIT_SECONDS: '7' },
    })
    api = new DashboardClient(t.url)
  })
  afterEach(async () => {
    await t.close()
    await fake.close()
  })

  async function addAccount(): Promise<string> {
    const authJson = JSON.stringify(fake.addAccount().authJson)
    return (await t.app.services.accounts.importAuthJson(authJson)).account.id
  }

  it('shows the environment defaults until a value is saved, and null restores them', async () => {
    expect((await api.get('/api/settings')).body).toMatchObject({
      accountMaxStreams: 5,
      accountQueueWaitSeconds: 7,
    })
    const saved = await api.put('/api/settings', {
      ...ROUTING,
      accountMaxStreams: 3,
      accountQueueWaitSeconds: 30,
    })
    expect(saved.body).toMatchObject({ accountMaxStreams: 3, accountQueueWaitSeconds: 30 })
    // Other settings forms leave them alone.
    await api.put('/api/settings', ROUTING)
    expect((await api.get('/api/settings')).body).toMatchObject({
      accountMaxStreams: 3,
      accountQueueWaitSeconds: 30,
    })
    const row = await t.database.db
      .selectFrom('dashboard_settings')
      .select(['account_max_streams', 'account_queue_wait_seconds'])
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ account_max_streams: 3, account_queue_wait_seconds: 30 })
    const restored = await api.put('/api/settings', {
      ...ROUTING,
      accountMaxStreams: null,
      accountQueueWaitSeconds: null,
    })
    expect(restored.body).toMatchObject({ accountMaxStreams: 5, accountQueueWaitSeconds: 7 })
  })

  it.each([
    ['accountMaxStreams', 0],
    ['accountMaxStreams', -2],
    ['accountMaxStreams', 1.5],
    ['accountMaxStreams', '4'],
    ['accountMaxStreams', 1001],
    ['accountQueueWaitSeconds', 0],
    ['accountQueueWaitSeconds', -1],
    ['accountQueueWaitSeconds', 2.5],
    ['accountQueueWaitSeconds', 601],
  ])('refuses %s = %j with a 422 naming the field', async (field, value) => {
    const res = await api.put('/api/settings', { ...ROUTING, [field]: value })
    expect(res.status).toBe(422)
    expect(res.body.error.code).toBe('validation_error')
    expect(res.body.error.message).toContain(field)
    expect((await api.get('/api/settings')).body).toMatchObject({
      accountMaxStreams: 5,
      accountQueueWaitSeconds: 7,
    })
  })

  it("sets, lists and clears an account's own cap", async () => {
    const id = await addAccount()
    const listed = async () =>
      ((await api.get('/api/accounts')).body as { accounts: Array<Record<string, unknown>> })
        .accounts[0]
    expect(await listed()).toMatchObject({ accountId: id, maxStreams: null })
    const set = await api.put(`/api/accounts/${id}/concurrency`, { maxStreams: 12 })
    expect(set).toMatchObject({ status: 200, body: { accountId: id, maxStreams: 12 } })
    expect(await listed()).toMatchObject({ maxStreams: 12 })
    const states = await t.app.services.pool.states()
    expect(states.find((s) => s.id === id)?.maxStreams).toBe(12)
    await api.put(`/api/accounts/${id}/concurrency/`, { maxStreams: null })
    expect(await listed()).toMatchObject({ maxStreams: null })
  })

  it.each([[0], [-1], [2.5], ['3'], [1001], [undefined]])(
    'refuses an account cap of %j with a 422 naming the field',
    async (maxStreams) => {
      const id = await addAccount()
      const res = await api.put(`/api/accounts/${id}/concurrency`, { maxStreams })
      expect(res.status).toBe(422)
      expect(res.body.error.message).toContain('maxStreams')
    },
  )

  it('answers 404 for an unknown account', async () => {
    const res = await api.put('/api/accounts/nope/concurrency', { maxStreams: 2 })
    expect(res.status).toBe(404)
    expect(res.body.error.code).toBe('account_not_found')
  })
})
