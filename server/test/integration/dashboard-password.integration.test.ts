import bcrypt from 'bcryptjs'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { DashboardClient, ManualClock, startDialectApp } from '../support/dashboard-client.js'
import { dialects } from '../support/dialects.js'
import type { TestApp } from '../support/test-app.js'

const DIALECTS = await dialects()
const START = 1_800_000_001_000
const PASSWORD = 'correct horse battery'

for (const dialect of DIALECTS) {
  describe(`dashboard password auth (${dialect.name})`, () => {
    let t: TestApp
    let clock: ManualClock
    let api: DashboardClient

    beforeEach(async () => {
      clock = new ManualClock(START)
      t = await startDialectApp(dialect, { clock })
      api = new DashboardClient(t.url)
    })
    afterEach(async () => t.close())

    it('is open until a password is set, then guards /api and reports the same truth', async () => {
      expect((await api.get('/api/settings')).status).toBe(200)
      expect((await api.get('/api/dashboard-auth/session')).body).toEqual({
        authenticated: true,
        passwordRequired: false,
        totpRequiredOnLogin: false,
        totpConfigured: false,
      })

      const setup = await api.post('/api/dashboard-auth/password/setup', { password: PASSWORD })
      expect(setup.status).toBe(200)
      expect(setup.body).toEqual({
        authenticated: true,
        passwordRequired: true,
        totpRequiredOnLogin: false,
        totpConfigured: false,
      })
      const cookie = setup.setCookies.find((c) => c.startsWith('codex_lb_dashboard_session='))
      expect(cookie).toMatch(/HttpOnly/i)
      expect(cookie).toMatch(/SameSite=Lax/i)
      expect(cookie).toMatch(/Path=\//)
      expect(cookie).toMatch(/Max-Age=43200/)
      expect(cookie).not.toMatch(/Secure/i)
      expect((await api.get('/api/settings')).status).toBe(200)

      const anonymous = new DashboardClient(t.url)
      const denied = await anonymous.get('/api/settings')
      expect(denied.status).toBe(401)
      expect(denied.body).toEqual({
        error: { code: 'authentication_required', message: 'Authentication is required' },
      })
      expect((await anonymous.get('/api/dashboard-auth/session')).body).toMatchObject({
        authenticated: false,
        passwordRequired: true,
      })
    })

    it('checks the guard before the body: unauthenticated + malformed body is 401', async () => {
      await api.post('/api/dashboard-auth/password/setup', { password: PASSWORD })
      const anonymous = new DashboardClient(t.url)
      const res = await anonymous.put('/api/settings', { stickyThreadsEnabled: 'nope' })
      expect(res.status).toBe(401)
      const garbage = await anonymous.send('PUT', '/api/settings', undefined, {
        'content-type': 'application/json',
      })
      expect(garbage.status).toBe(401)
    })

    it('validates setup: short → 422, over 72 bytes → 400 (not 500), second setup → 409', async () => {
      const short = await api.post('/api/dashboard-auth/password/setup', { password: '  short  ' })
      expect(short.status).toBe(422)
      expect(short.body.error.code).toBe('validation_error')
      expect(short.body.error.message).toMatch(/password/i)

      const long = await api.post('/api/dashboard-auth/password/setup', {
        password: 'é'.repeat(37),
      })
      expect(long.status).toBe(400)
      expect(long.body.error).toEqual({
        code: 'password_too_long',
        message: expect.stringMatching(/^password: .*72 bytes/),
      })

      expect((await api.post('/api/dashboard-auth/password/setup', {})).status).toBe(422)
      const first = await api.post('/api/dashboard-auth/password/setup', { password: PASSWORD })
      expect(first.status).toBe(200)
      const second = await new DashboardClient(t.url).post('/api/dashboard-auth/password/setup', {
        password: 'another password',
      })
      expect(second.status).toBe(409)
      expect(second.body.error.code).toBe('password_already_configured')
    })

    it('setup races: exactly one of two concurrent setups wins', async () => {
      const [a, b] = await Promise.all([
        new DashboardClient(t.url).post('/api/dashboard-auth/password/setup', {
          password: 'first-pass',
        }),
        new DashboardClient(t.url).post('/api/dashboard-auth/password/setup', {
          password: 'second-pass',
        }),
      ])
      expect([a.status, b.status].sort()).toEqual([200, 409])
    })

    it('logs in and out; wrong password → 401 invalid_credentials; trims on setup only', async () => {
      await api.post('/api/dashboard-auth/password/setup', { password: `  ${PASSWORD}  ` })
      const out = await api.post('/api/dashboard-auth/logout')
      expect(out.status).toBe(200)
      expect(out.body).toEqual({ status: 'ok' })
      expect(api.cookie).toBeUndefined()
      expect((await api.get('/api/settings')).status).toBe(401)

      const wrong = await api.post('/api/dashboard-auth/password/login', { password: 'nope nope' })
      expect(wrong.status).toBe(401)
      expect(wrong.body.error.code).toBe('invalid_credentials')
      const login = await api.post('/api/dashboard-auth/password/login', { password: PASSWORD })
      expect(login.status).toBe(200)
      expect(login.body.authenticated).toBe(true)
      expect((await api.get('/api/settings')).status).toBe(200)
    })

    it('login without a configured password → 400 password_not_configured, after a bcrypt compare', async () => {
      // Timing parity: the answer without a stored password costs the same full bcrypt compare.
      const compare = vi.spyOn(bcrypt, 'compare')
      try {
        const res = await api.post('/api/dashboard-auth/password/login', { password: PASSWORD })
        expect(res.status).toBe(400)
        expect(res.body.error.code).toBe('password_not_configured')
        expect(compare).toHaveBeenCalledTimes(1)
        expect(compare.mock.calls[0]?.[0]).toBe(PASSWORD)
      } finally {
        compare.mockRestore()
      }
    })

    it('change: over 72 bytes → 400 password_too_long naming newPassword', async () => {
      await api.post('/api/dashboard-auth/password/setup', { password: PASSWORD })
      const res = await api.post('/api/dashboard-auth/password/change', {
        currentPassword: PASSWORD,
        newPassword: 'x'.repeat(73),
      })
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('password_too_long')
      expect(res.body.error.message).toMatch(/^newPassword: /)
    })

    it('8 wrong logins, then 429 with Retry-After even for the right password; clears after 60 s', async () => {
      await api.post('/api/dashboard-auth/password/setup', { password: PASSWORD })
      const attacker = new DashboardClient(t.url)
      for (let i = 0; i < 8; i += 1) {
        const res = await attacker.post('/api/dashboard-auth/password/login', {
          password: `bad-${i}-pw`,
        })
        expect(res.status).toBe(401)
      }
      const limited = await attacker.post('/api/dashboard-auth/password/login', {
        password: PASSWORD,
      })
      expect(limited.status).toBe(429)
      expect(limited.body.error.code).toBe('password_rate_limited')
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
      expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60)

      clock.advance(61_000)
      const ok = await attacker.post('/api/dashboard-auth/password/login', { password: PASSWORD })
      expect(ok.status).toBe(200)
    })

    it('change ends every other session, keeps the caller signed in, and swaps the password', async () => {
      await api.post('/api/dashboard-auth/password/setup', { password: PASSWORD })
      const other = new DashboardClient(t.url)
      await other.post('/api/dashboard-auth/password/login', { password: PASSWORD })
      const oldCookie = api.cookie

      expect(
        (
          await new DashboardClient(t.url).post('/api/dashboard-auth/password/change', {
            currentPassword: PASSWORD,
            newPassword: 'brand new password',
          })
        ).status,
      ).toBe(401)
      const wrong = await api.post('/api/dashboard-auth/password/change', {
        current_password: 'not it at all',
        new_password: 'brand new password',
      })
      expect(wrong.status).toBe(401)
      expect(wrong.body.error.code).toBe('invalid_credentials')
      const short = await api.post('/api/dashboard-auth/password/change', {
        currentPassword: PASSWORD,
        newPassword: 'short',
      })
      expect(short.status).toBe(422)
      expect(short.body.error.message).toMatch(/newPassword/)

      const changed = await api.post('/api/dashboard-auth/password/change', {
        currentPassword: PASSWORD,
        newPassword: 'brand new password',
      })
      expect(changed.status).toBe(200)
      expect(changed.body).toEqual({ status: 'ok' })
      expect(api.cookie).not.toBe(oldCookie)
      expect((await api.get('/api/settings')).status).toBe(200)
      expect((await other.get('/api/settings')).status).toBe(401)
      const replay = new DashboardClient(t.url)
      replay.cookie = oldCookie
      expect((await replay.get('/api/settings')).status).toBe(401)

      const fresh = new DashboardClient(t.url)
      expect(
        (await fresh.post('/api/dashboard-auth/password/login', { password: PASSWORD })).status,
      ).toBe(401)
      expect(
        (await fresh.post('/api/dashboard-auth/password/login', { password: 'brand new password' }))
          .status,
      ).toBe(200)
    })

    it('remove verifies, returns to open mode and voids old cookies for a later password', async () => {
      await api.post('/api/dashboard-auth/password/setup', { password: PASSWORD })
      const oldCookie = api.cookie
      expect(
        (await api.delete('/api/dashboard-auth/password', { password: 'wrong one!' })).status,
      ).toBe(401)
      const removed = await api.delete('/api/dashboard-auth/password', { password: PASSWORD })
      expect(removed.status).toBe(200)
      expect(api.cookie).toBeUndefined()
      expect((await api.get('/api/dashboard-auth/session')).body).toMatchObject({
        authenticated: true,
        passwordRequired: false,
      })

      await new DashboardClient(t.url).post('/api/dashboard-auth/password/setup', {
        password: 'second password',
      })
      const replay = new DashboardClient(t.url)
      replay.cookie = oldCookie
      expect((await replay.get('/api/settings')).status).toBe(401)
    })

    it('remove without a session is refused even with the right password (seed 004 §5.4)', async () => {
      await api.post('/api/dashboard-auth/password/setup', { password: PASSWORD })
      const visitor = await new DashboardClient(t.url).delete('/api/dashboard-auth/password', {
        password: PASSWORD,
      })
      expect(visitor.status).toBe(401)
      expect(visitor.body.error.code).toBe('authentication_required')
      const row = await t.database.db
        .selectFrom('dashboard_settings')
        .select('password_hash')
        .executeTakeFirstOrThrow()
      expect(row.password_hash).not.toBeNull()
      expect((await new DashboardClient(t.url).get('/api/settings')).status).toBe(401)
    })

    it('expired and tampered cookies are no session', async () => {
      await api.post('/api/dashboard-auth/password/setup', { password: PASSWORD })
      const cookie = api.cookie ?? ''
      const tampered = new DashboardClient(t.url)
      tampered.cookie = cookie.slice(0, -2) + (cookie.endsWith('AA') ? 'BB' : 'AA')
      expect((await tampered.get('/api/settings')).status).toBe(401)
      clock.advance(12 * 3600 * 1000 - 1000)
      expect((await api.get('/api/settings')).status).toBe(200)
      clock.advance(2000)
      expect((await api.get('/api/settings')).status).toBe(401)
    })

    it('refuses cross-origin state changes (CSRF) but not same-origin or header-less ones', async () => {
      const evil = await api.post(
        '/api/dashboard-auth/password/setup',
        { password: PASSWORD },
        { origin: 'http://evil.example' },
      )
      expect(evil.status).toBe(403)
      expect(evil.body.error.code).toBe('csrf_rejected')
      const fetchMeta = await api.post(
        '/api/dashboard-auth/password/setup',
        { password: PASSWORD },
        { 'sec-fetch-site': 'cross-site' },
      )
      expect(fetchMeta.status).toBe(403)
      expect((await api.get('/api/settings', { origin: 'http://evil.example' })).status).toBe(200)
      const same = await api.post(
        '/api/dashboard-auth/password/setup',
        { password: PASSWORD },
        { origin: t.url },
      )
      expect(same.status).toBe(200)
    })
  })
}
