import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DashboardClient, ManualClock, startDialectApp } from '../support/dashboard-client.js'
import { dialects } from '../support/dialects.js'
import type { TestApp } from '../support/test-app.js'
import { TOTP_START, TOTP_STEP_MS, configureTotp, totpCodeAt } from '../support/totp-codes.js'

const DIALECTS = await dialects()
const START = Date.UTC(2026, 11, 5, 9, 0, 0)
const DAY = 86_400_000
const FIRST = 'first-password-0451'
const SECOND = 'second-password-9182'
const WRONG = 'not-the-password-7734'

for (const dialect of DIALECTS) {
  describe(`audit log (${dialect.name})`, () => {
    let t: TestApp
    let clock: ManualClock
    let api: DashboardClient

    beforeEach(async () => {
      clock = new ManualClock(START)
      t = await startDialectApp(dialect, { clock })
      api = new DashboardClient(t.url)
    })
    afterEach(async () => t.close())

    const rawRows = async () =>
      JSON.stringify(await t.database.db.selectFrom('audit_log').selectAll().execute())

    it('records password changes, a failed login, key and settings changes, without secrets', async () => {
      expect(
        (await api.post('/api/dashboard-auth/password/setup', { password: FIRST })).status,
      ).toBe(200)
      clock.advance(1000)
      const change = await api.post('/api/dashboard-auth/password/change', {
        currentPassword: FIRST,
        newPassword: SECOND,
      })
      expect(change.status).toBe(200)
      clock.advance(1000)
      const stranger = new DashboardClient(t.url)
      const bad = await stranger.post('/api/dashboard-auth/password/login', { password: WRONG })
      expect(bad.status).toBe(401)
      clock.advance(1000)
      const created = await api.post('/api/api-keys', { name: 'ci runner' })
      expect(created.status).toBe(200)
      const key: string = created.body.key
      clock.advance(1000)
      expect((await api.delete(`/api/api-keys/${created.body.id}`)).status).toBe(204)
      clock.advance(1000)
      const before = (await api.get('/api/settings')).body.routingStrategy
      const put = await api.put('/api/settings', {
        stickyThreadsEnabled: true,
        preferEarlierResetAccounts: false,
        routingStrategy: 'round_robin',
      })
      expect(put.status).toBe(200)

      const list = await api.get('/api/audit')
      expect(list.status).toBe(200)
      expect(list.body.total).toBe(6)
      expect(list.body.hasMore).toBe(false)
      const entries = list.body.entries as Array<Record<string, unknown>>
      expect(entries.map((e) => [e.action, e.outcome])).toEqual([
        ['settings.updated', 'success'],
        ['api_key.deleted', 'success'],
        ['api_key.created', 'success'],
        ['auth.login', 'failure'],
        ['auth.password_changed', 'success'],
        ['auth.password_set', 'success'],
      ])
      expect(entries.every((e) => e.clientIp === '127.0.0.1')).toBe(true)
      expect(entries[0]).toMatchObject({
        occurredAt: new Date(START + 5000).toISOString(),
        details: { routingStrategy: { from: before, to: 'round_robin' } },
      })
      expect(entries[1]).toMatchObject({
        targetType: 'api_key',
        targetId: created.body.id,
        details: { name: 'ci runner' },
      })
      expect(entries[3]).toMatchObject({
        targetType: 'dashboard',
        details: { step: 'password', reason: 'bad_password' },
      })

      const raw = await rawRows()
      for (const secret of [FIRST, SECOND, WRONG, key, key.slice(0, 20)]) {
        expect(raw).not.toContain(secret)
      }
    })

    it('records TOTP enabling, both login steps with their failure reasons, and logout', async () => {
      clock.set(TOTP_START)
      const secret = await configureTotp(api, clock, FIRST)
      const visitor = new DashboardClient(t.url)
      expect(
        (await visitor.post('/api/dashboard-auth/password/login', { password: FIRST })).status,
      ).toBe(200)
      clock.advance(TOTP_STEP_MS)
      const wrong = totpCodeAt(secret, clock.now() + 10 * TOTP_STEP_MS)
      expect((await visitor.post('/api/dashboard-auth/totp/verify', { code: wrong })).status).toBe(
        401,
      )
      const code = totpCodeAt(secret, clock.now())
      expect((await visitor.post('/api/dashboard-auth/totp/verify', { code })).status).toBe(200)
      expect((await visitor.post('/api/dashboard-auth/logout')).status).toBe(200)

      const { entries } = (await api.get('/api/audit?limit=20')).body as {
        entries: Array<{ action: string; outcome: string; details: unknown }>
      }
      expect(entries.map((e) => [e.action, e.outcome, e.details]).reverse()).toEqual([
        ['auth.password_set', 'success', null],
        ['auth.totp_enabled', 'success', null],
        ['auth.login', 'success', { step: 'password' }],
        ['auth.login', 'failure', { step: 'totp', reason: 'bad_code' }],
        ['auth.login', 'success', { step: 'totp' }],
        ['auth.logout', 'success', null],
      ])
      const raw = await rawRows()
      // (6-digit codes could occur inside a timestamp by chance: the secret and password cannot.)
      for (const text of [secret, FIRST]) expect(raw).not.toContain(text)
    })

    it('filters by action, outcome, time and search, pages, and lists the actions present', async () => {
      const audit = t.app.services.audit
      await audit.record({
        action: 'auth.login',
        outcome: 'failure',
        details: { reason: 'bad_password' },
      })
      clock.advance(DAY)
      await audit.record({ action: 'auth.login', details: { step: 'password' } })
      clock.advance(DAY)
      await audit.record({ action: 'api_key.created', target: { type: 'api_key', id: 'k_100%' } })

      const q = async (query: string) => (await api.get(`/api/audit?${query}`)).body
      expect((await q('action=auth.login')).total).toBe(2)
      expect((await q('action=auth.login&action=api_key.created')).total).toBe(3)
      expect((await q('outcome=failure')).entries).toHaveLength(1)
      const since = new Date(START + DAY).toISOString()
      expect((await q(`since=${since}`)).total).toBe(2)
      expect((await q(`until=${since}`)).total).toBe(2)
      expect(
        (await q('search=100%25')).entries.map((e: { targetId: string }) => e.targetId),
      ).toEqual(['k_100%'])
      expect((await q('search=BAD_PASS')).total).toBe(1)
      const page = await q('limit=2&offset=0')
      expect(page.entries).toHaveLength(2)
      expect(page.hasMore).toBe(true)
      expect((await q('limit=2&offset=2')).hasMore).toBe(false)
      expect((await api.get('/api/audit/options')).body).toEqual({
        actions: ['api_key.created', 'auth.login'],
      })
    })

    it('refuses unknown actions, outcomes and inverted ranges with 422 naming the field', async () => {
      const field = async (query: string) => {
        const res = await api.get(`/api/audit?${query}`)
        expect(res.status).toBe(422)
        return JSON.stringify(res.body)
      }
      expect(await field('action=auth.login&action=drop_tables')).toContain('action')
      expect(await field('outcome=maybe')).toContain('outcome')
      expect(await field('since=2026-12-05&until=2026-12-01')).toContain('until')
      expect(await field('limit=0')).toContain('limit')
    })

    it('is behind the dashboard session once a password is set', async () => {
      await api.post('/api/dashboard-auth/password/setup', { password: FIRST })
      expect((await new DashboardClient(t.url).get('/api/audit')).status).toBe(401)
      expect((await new DashboardClient(t.url).get('/api/audit/options')).status).toBe(401)
      expect((await api.get('/api/audit')).status).toBe(200)
    })

    it('the retention job deletes entries older than CODEX_LB_AUDIT_RETENTION_DAYS', async () => {
      await t.close()
      t = await startDialectApp(dialect, { clock, env: { AUDIT_RETENTION_DAYS: '30' } })
      const audit = t.app.services.audit
      await audit.record({ action: 'auth.logout' })
      clock.advance(30 * DAY)
      await audit.record({ action: 'auth.login' })
      clock.advance(1)
      expect(await t.app.services.auditService.prune()).toBe(1)
      const left = await t.database.db.selectFrom('audit_log').select('action').execute()
      expect(left.map((r) => r.action)).toEqual(['auth.login'])
    })
  })
}
