import { afterEach, describe, expect, it } from 'vitest'
import { DashboardClient } from '../support/dashboard-client.js'
import { startTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp | undefined
afterEach(async () => {
  await t?.close()
  t = undefined
})

describe('a server bound to a public address says what is open', () => {
  it('lists each open door in the session state until it is closed', async () => {
    t = await startTestApp({ env: { HOST: '0.0.0.0' } })
    const api = new DashboardClient(t.url)
    const open = (await api.get('/api/dashboard-auth/session')).body.exposure as string[]
    expect(open).toHaveLength(2)
    expect(open[0]).toMatch(/^EXPOSED: listening on 0\.0\.0\.0.*dashboard has no password/)
    expect(open[1]).toMatch(/proxy needs no API key/)

    await api.post('/api/api-keys/', { name: 'k', limits: [] })
    const keyed = await api.put('/api/settings', {
      stickyThreadsEnabled: true,
      preferEarlierResetAccounts: false,
      apiKeyAuthEnabled: true,
    })
    expect(keyed.status).toBe(200)
    await api.post('/api/dashboard-auth/password/setup', { password: 'correct horse battery' })
    expect((await api.get('/api/dashboard-auth/session')).body.exposure).toBeUndefined()
  })

  it('says nothing on loopback', async () => {
    t = await startTestApp()
    const session = await new DashboardClient(t.url).get('/api/dashboard-auth/session')
    expect(session.body.exposure).toBeUndefined()
  })
})
