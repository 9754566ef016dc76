import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  SESSION_KEY_PURPOSE,
  SessionCodec,
  newSessionId,
} from '../../src/modules/dashboard-auth/index.js'
import { DashboardClient, ManualClock, startDialectApp } from '../support/dashboard-client.js'
import { dialects } from '../support/dialects.js'
import type { TestApp } from '../support/test-app.js'

const DIALECTS = await dialects()
const START = Date.UTC(2026, 10, 1, 12, 0, 0)

for (const dialect of DIALECTS) {
  describe(`settings API and cache (${dialect.name})`, () => {
    let t: TestApp
    let clock: ManualClock
    let api: DashboardClient

    beforeEach(async () => {
      clock = new ManualClock(START)
      t = await startDialectApp(dialect, { clock })
      api = new DashboardClient(t.url)
    })
    afterEach(async () => t.close())

    const setRow = (values: { password_hash?: string | null; totp_required_on_login?: 0 | 1 }) =>
      t.database.db.updateTable('dashboard_settings').set(values).where('id', '=', 1).execute()

    it('defaults: sticky threads on, everything else off, sticky TTL from config', async () => {
      const res = await api.get('/api/settings')
      expect(res.status).toBe(200)
      expect(res.body).toEqual({
        stickyThreadsEnabled: true,
        preferEarlierResetAccounts: false,
        totpRequiredOnLogin: false,
        totpConfigured: false,
        apiKeyAuthEnabled: false,
        headroomPrimaryPercent: 100,
        headroomSecondaryPercent: 100,
        routingStrategy: 'most_remaining',
        stickyTtlSeconds: t.config.stickySessionTtlMs / 1000,
        accountMaxStreams: 8,
        accountQueueWaitSeconds: 10,
        overflowMode: 'off',
      })
      expect((await api.get('/api/settings/')).status).toBe(200)
      const slash = await api.put('/api/settings/', {
        stickyThreadsEnabled: true,
        preferEarlierResetAccounts: false,
      })
      expect(slash.status).toBe(200)
      expect(slash.body).toEqual(res.body)
    })

    it('PUT takes camelCase or snake_case; optional fields keep their value when absent', async () => {
      const camel = await api.put('/api/settings', {
        stickyThreadsEnabled: false,
        preferEarlierResetAccounts: true,
        apiKeyAuthEnabled: true,
        stickyTtlSeconds: 600,
      })
      expect(camel.status).toBe(200)
      expect(camel.body).toMatchObject({
        stickyThreadsEnabled: false,
        preferEarlierResetAccounts: true,
        apiKeyAuthEnabled: true,
        stickyTtlSeconds: 600,
      })
      const snake = await api.put('/api/settings', {
        sticky_threads_enabled: true,
        prefer_earlier_reset_accounts: false,
      })
      expect(snake.body).toMatchObject({
        stickyThreadsEnabled: true,
        preferEarlierResetAccounts: false,
        apiKeyAuthEnabled: true,
        stickyTtlSeconds: 600,
      })
      const reset = await api.put('/api/settings', {
        stickyThreadsEnabled: true,
        preferEarlierResetAccounts: false,
        apiKeyAuthEnabled: null,
        stickyTtlSeconds: null,
      })
      expect(reset.body.apiKeyAuthEnabled).toBe(true)
      expect(reset.body.stickyTtlSeconds).toBe(t.config.stickySessionTtlMs / 1000)
      expect((await api.get('/api/settings')).body).toEqual(reset.body)
    })

    it('names the field in 422s', async () => {
      const missing = await api.put('/api/settings', { stickyThreadsEnabled: true })
      expect(missing.status).toBe(422)
      expect(missing.body.error.code).toBe('validation_error')
      expect(missing.body.error.message).toContain('preferEarlierResetAccounts')
      const ttl = await api.put('/api/settings', {
        stickyThreadsEnabled: true,
        preferEarlierResetAccounts: false,
        stickyTtlSeconds: 5,
      })
      expect(ttl.status).toBe(422)
      expect(ttl.body.error.message).toContain('stickyTtlSeconds')
    })

    it('the guard uses settings at most 5 s old; endpoints that change them invalidate at once', async () => {
      expect((await api.get('/api/settings')).status).toBe(200)
      // Another replica sets a password: this process may take up to 5 s to notice.
      await setRow({
        password_hash: '$2b$12$abcdefghijklmnopqrstuuJ0h3zJ7wq9Zp7Yb7u7y7t7r7e7w7q7e',
      })
      clock.advance(4_000)
      expect((await api.get('/api/dashboard-auth/session')).body.authenticated).toBe(true)
      clock.advance(1_000)
      expect((await api.get('/api/dashboard-auth/session')).body.authenticated).toBe(false)
      expect((await api.get('/api/settings')).status).toBe(401)

      // Back to open mode, then a PUT through the API is seen by the very next request.
      await setRow({ password_hash: null })
      clock.advance(5_000)
      await api.put('/api/settings', {
        stickyThreadsEnabled: false,
        preferEarlierResetAccounts: true,
        apiKeyAuthEnabled: true,
      })
      expect((await t.app.services.settings.get()).apiKeyAuthEnabled).toBe(true)
      const proxied = await fetch(`${t.url}/v1/models`)
      expect(proxied.status).toBe(401)
    })

    describe('TOTP required without a password (half-migrated database): fails closed', () => {
      const craft = (pw: boolean, tv: boolean) =>
        new SessionCodec(t.cipher.deriveKey(SESSION_KEY_PURPOSE)).seal({
          exp: Math.floor(START / 1000) + 3600,
          pw,
          tv,
          ep: 0,
          sid: newSessionId(),
        })

      beforeEach(async () => {
        await setRow({ password_hash: null, totp_required_on_login: 1 })
        clock.advance(5_000)
      })

      it('no session → 401 (seed 002 §4.4), and the session endpoint agrees', async () => {
        const res = await api.get('/api/settings')
        expect(res.status).toBe(401)
        expect(res.body.error.code).toBe('authentication_required')
        expect((await api.get('/api/dashboard-auth/session')).body).toEqual({
          authenticated: false,
          passwordRequired: false,
          totpRequiredOnLogin: true,
          totpConfigured: false,
        })
      })

      it('pw=false, tv=true → 200 (seed 002 §4.5)', async () => {
        api.cookie = craft(false, true)
        expect((await api.get('/api/settings')).status).toBe(200)
        expect((await api.get('/api/dashboard-auth/session')).body.authenticated).toBe(true)
      })

      it('pw=true, tv=false → 401 totp_required (seed 002 §4.6)', async () => {
        api.cookie = craft(true, false)
        const res = await api.get('/api/settings')
        expect(res.status).toBe(401)
        expect(res.body.error.code).toBe('totp_required')
        expect((await api.get('/api/dashboard-auth/session')).body.authenticated).toBe(false)
      })

      it('a password can still be set to recover', async () => {
        const setup = await api.post('/api/dashboard-auth/password/setup', {
          password: 'recovery password',
        })
        expect(setup.status).toBe(200)
        expect(setup.body).toMatchObject({ authenticated: false, totpRequiredOnLogin: true })
      })
    })
  })
}
