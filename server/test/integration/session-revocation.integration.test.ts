import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { DashboardClient, ManualClock, startDialectApp } from '../support/dashboard-client.js'
import { dialects } from '../support/dialects.js'
import { startTestApp, type TestApp } from '../support/test-app.js'
import { TOTP_START, TOTP_STEP_MS, totpCodeAt } from '../support/totp-codes.js'

const DIALECTS = await dialects()
const PASSWORD = 'revocation password'
const HOUR = 3600_000

async function login(t: TestApp, password = PASSWORD): Promise<DashboardClient> {
  const api = new DashboardClient(t.url)
  const res = await api.post('/api/dashboard-auth/password/login', { password })
  expect(res.status).toBe(200)
  return api
}

/** Another client holding a copy of `api`'s cookie, as someone who copied it would. */
function copyOf(api: DashboardClient): DashboardClient {
  const copy = new DashboardClient(api.baseUrl)
  copy.cookie = api.cookie
  return copy
}

describe.each(DIALECTS)('logout revokes the session on the server ($name)', (dialect) => {
  let t: TestApp
  let clock: ManualClock
  beforeEach(async () => {
    clock = new ManualClock(TOTP_START)
    t = await startDialectApp(dialect, { clock })
    const setup = await new DashboardClient(t.url).post('/api/dashboard-auth/password/setup', {
      password: PASSWORD,
    })
    expect(setup.status).toBe(200)
  })
  afterEach(async () => t.close())

  it('a copied cookie gets 401 after logout; another sign-in stays valid', async () => {
    const api = await login(t)
    const stolen = copyOf(api)
    const other = await login(t)
    expect((await stolen.get('/api/settings')).status).toBe(200)

    expect((await api.post('/api/dashboard-auth/logout')).status).toBe(200)
    expect(api.cookie).toBeUndefined()
    const refused = await stolen.get('/api/settings')
    expect(refused.status).toBe(401)
    expect(refused.body.error.code).toBe('authentication_required')
    expect((await stolen.get('/api/dashboard-auth/session')).body.authenticated).toBe(false)
    // Nor can the copy change the password (the endpoints behind the password step).
    const change = await stolen.post('/api/dashboard-auth/password/change', {
      currentPassword: PASSWORD,
      newPassword: 'taken over password',
    })
    expect(change.status).toBe(401)
    expect((await other.get('/api/settings')).status).toBe(200)
  })

  it('a password change ends every other session; the changer keeps a fresh one', async () => {
    const api = await login(t)
    const before = copyOf(api)
    const other = await login(t)
    const change = await api.post('/api/dashboard-auth/password/change', {
      currentPassword: PASSWORD,
      newPassword: 'second password',
    })
    expect(change.status).toBe(200)
    expect((await other.get('/api/settings')).status).toBe(401)
    expect((await before.get('/api/settings')).status).toBe(401)
    expect((await api.get('/api/settings')).status).toBe(200)
    // The re-issued cookie belongs to the same sign-in: its logout ends it like any other.
    const copy = copyOf(api)
    await api.post('/api/dashboard-auth/logout')
    expect((await copy.get('/api/settings')).status).toBe(401)
  })

  it('removing the password ends every session: a cookie from before stays dead once one is set again', async () => {
    const api = await login(t)
    const before = copyOf(api)
    const removed = await api.delete('/api/dashboard-auth/password', { password: PASSWORD })
    expect(removed.status).toBe(200)
    const again = await new DashboardClient(t.url).post('/api/dashboard-auth/password/setup', {
      password: PASSWORD,
    })
    expect(again.status).toBe(200)
    expect((await before.get('/api/settings')).status).toBe(401)
  })

  it('logging out with the TOTP cookie also revokes the password-step cookie of that sign-in', async () => {
    const setupClient = await login(t)
    const start = await setupClient.post('/api/dashboard-auth/totp/setup/start')
    const secret: string = start.body.secret
    const confirm = await setupClient.post('/api/dashboard-auth/totp/setup/confirm', {
      secret,
      code: totpCodeAt(secret, clock.now()),
    })
    expect(confirm.status).toBe(200)
    const enforce = await setupClient.put('/api/settings', {
      stickyThreadsEnabled: true,
      preferEarlierResetAccounts: false,
      totpRequiredOnLogin: true,
    })
    expect(enforce.status).toBe(200)
    clock.advance(TOTP_STEP_MS)

    const api = await login(t)
    const halfStep = copyOf(api)
    const verify = await api.post('/api/dashboard-auth/totp/verify', {
      code: totpCodeAt(secret, clock.now()),
    })
    expect(verify.status).toBe(200)
    expect((await api.get('/api/settings')).status).toBe(200)
    await api.post('/api/dashboard-auth/logout')
    // The half cookie could otherwise be completed with a later code.
    clock.advance(TOTP_STEP_MS)
    const again = await halfStep.post('/api/dashboard-auth/totp/verify', {
      code: totpCodeAt(secret, clock.now()),
    })
    expect(again.status).toBe(401)
  })

  it('revocations are pruned once every cookie of their session has expired', async () => {
    const rows = () =>
      t.database.db.selectFrom('dashboard_session_revocations').selectAll().execute()
    const first = await login(t)
    await first.post('/api/dashboard-auth/logout')
    expect(await rows()).toHaveLength(1)
    clock.advance(12 * HOUR + 1000)
    const second = await login(t)
    await second.post('/api/dashboard-auth/logout')
    expect(await rows()).toHaveLength(1)
    // A logout without a session (or a second one) adds nothing.
    await second.post('/api/dashboard-auth/logout')
    expect(await rows()).toHaveLength(1)
  })
})

const postgres = DIALECTS.find((d) => d.name === 'postgres')

describe.skipIf(!postgres)('replicas on one PostgreSQL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'codex-lb-replicas-'))
  let a: TestApp
  let b: TestApp
  beforeAll(async () => {
    const database = await postgres!.make(dataDir)
    // One data dir: the replicas share the encryption key, as they must to read each other's cookies.
    a = await startTestApp({ database, dataDir })
    b = await startTestApp({ database, dataDir })
  })
  afterAll(async () => {
    await a.close()
    await b.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('a logout on one replica is refused on the other at once', async () => {
    await new DashboardClient(a.url).post('/api/dashboard-auth/password/setup', {
      password: PASSWORD,
    })
    const api = await login(a)
    const onB = new DashboardClient(b.url)
    onB.cookie = api.cookie
    expect((await onB.get('/api/settings')).status).toBe(200)
    await api.post('/api/dashboard-auth/logout')
    expect((await onB.get('/api/settings')).status).toBe(401)
  })
})
