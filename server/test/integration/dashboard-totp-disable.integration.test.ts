import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DashboardClient, ManualClock, startDialectApp } from '../support/dashboard-client.js'
import { dialects } from '../support/dialects.js'
import type { TestApp } from '../support/test-app.js'
import { configureTotp, TOTP_START, TOTP_STEP_MS, totpCodeAt } from '../support/totp-codes.js'

const DIALECTS = await dialects()
const PASSWORD = 'correct horse battery'
const DISABLE = '/api/dashboard-auth/totp/disable'

// Seed 004 §6.4: turning TOTP off takes the password session plus a current, unused code.
for (const dialect of DIALECTS) {
  describe(`dashboard TOTP disable (${dialect.name})`, () => {
    let t: TestApp
    let clock: ManualClock
    let api: DashboardClient

    beforeEach(async () => {
      clock = new ManualClock(TOTP_START)
      t = await startDialectApp(dialect, { clock })
      api = new DashboardClient(t.url)
    })
    afterEach(async () => t.close())

    const code = (secret: string) => totpCodeAt(secret, clock.now())
    const setRequired = async (client: DashboardClient, on: boolean) => {
      const res = await client.put('/api/settings', {
        stickyThreadsEnabled: true,
        preferEarlierResetAccounts: false,
        totpRequiredOnLogin: on,
      })
      expect(res.status).toBe(200)
    }
    const totpState = async () => {
      const row = await t.database.db
        .selectFrom('dashboard_settings')
        .select(['totp_secret_enc', 'totp_required_on_login'])
        .executeTakeFirstOrThrow()
      return { secret: row.totp_secret_enc !== null, required: Number(row.totp_required_on_login) }
    }

    it('codes not required at login: the password session and a current code turn it off', async () => {
      const secret = await configureTotp(api, clock, PASSWORD)
      clock.advance(TOTP_STEP_MS)
      const res = await api.post(DISABLE, { code: code(secret) })
      expect(res.status).toBe(200)
      expect(res.body).toEqual({ status: 'ok' })
      expect(await totpState()).toEqual({ secret: false, required: 0 })
      // The cached settings were invalidated: the dashboard's next read says Off at once.
      expect((await api.get('/api/dashboard-auth/session')).body.totpConfigured).toBe(false)
      expect((await api.get('/api/settings')).body.totpConfigured).toBe(false)
      const again = await api.post(DISABLE, { code: code(secret) })
      expect(again.status).toBe(400)
      expect(again.body.error.code).toBe('totp_not_configured')
    })

    it('codes required at login: the full session and a current code turn it off; a password-only session is refused', async () => {
      const secret = await configureTotp(api, clock, PASSWORD)
      clock.advance(TOTP_STEP_MS)
      expect(
        (await api.post('/api/dashboard-auth/totp/verify', { code: code(secret) })).status,
      ).toBe(200)
      await setRequired(api, true)
      const half = new DashboardClient(t.url)
      await half.post('/api/dashboard-auth/password/login', { password: PASSWORD })

      clock.advance(TOTP_STEP_MS)
      const refused = await half.post(DISABLE, { code: code(secret) })
      expect(refused.status).toBe(401)
      expect(refused.body.error.code).toBe('totp_required')
      // Refused before the code was looked at: the same code still works for the full session.
      const res = await api.post(DISABLE, { code: code(secret) })
      expect(res.status).toBe(200)
      expect(await totpState()).toEqual({ secret: false, required: 0 })
      // With the enforcement gone too, the password-only session is a full one at once.
      expect((await half.get('/api/settings')).status).toBe(200)
    })

    for (const required of [false, true]) {
      it(`refuses no session, no code, a wrong code and a replayed code (required at login: ${required})`, async () => {
        const secret = await configureTotp(api, clock, PASSWORD)
        clock.advance(TOTP_STEP_MS)
        const loginCode = code(secret)
        expect(
          (await api.post('/api/dashboard-auth/totp/verify', { code: loginCode })).status,
        ).toBe(200)
        await setRequired(api, required)

        // The code used to log in, within the same step: a replay, like a second login would be.
        const replay = await api.post(DISABLE, { code: loginCode })
        expect(replay.status).toBe(401)
        expect(replay.body.error.code).toBe('invalid_totp_code')

        clock.advance(TOTP_STEP_MS)
        const visitor = await new DashboardClient(t.url).post(DISABLE, { code: code(secret) })
        expect(visitor.status).toBe(401)
        expect(visitor.body.error.code).toBe('authentication_required')

        const noCode = await api.post(DISABLE, {})
        expect(noCode.status).toBe(422)
        expect(noCode.body.error.code).toBe('validation_error')

        const wrong = await api.post(DISABLE, {
          code: totpCodeAt(secret, clock.now() + 10 * TOTP_STEP_MS),
        })
        expect(wrong.status).toBe(401)
        expect(wrong.body.error.code).toBe('invalid_totp_code')
        expect(JSON.stringify(wrong.body)).not.toContain(secret)

        expect(await totpState()).toEqual({ secret: true, required: required ? 1 : 0 })
        expect((await api.get('/api/settings')).body.totpConfigured).toBe(true)
      })
    }

    it('the TOTP-only state (no password) cannot turn TOTP off until a password is set', async () => {
      const secret = await configureTotp(api, clock, PASSWORD)
      // What an older or hand-edited database can hold: TOTP required, no password.
      await t.database.db
        .updateTable('dashboard_settings')
        .set({ password_hash: null, totp_required_on_login: 1 })
        .execute()
      clock.advance(TOTP_STEP_MS) // past the 5 s settings cache and the confirm code's step
      const only = new DashboardClient(t.url)
      expect(
        (await only.post('/api/dashboard-auth/totp/verify', { code: code(secret) })).status,
      ).toBe(200)
      expect((await only.get('/api/settings')).status).toBe(200)

      clock.advance(TOTP_STEP_MS)
      const res = await only.post(DISABLE, { code: code(secret) })
      expect(res.status).toBe(401)
      expect(res.body.error.code).toBe('authentication_required')
      expect(await totpState()).toEqual({ secret: true, required: 1 })

      // The way out: setting a password keeps the code step, so the caller stays signed in.
      const setup = await only.post('/api/dashboard-auth/password/setup', { password: PASSWORD })
      expect(setup.status).toBe(200)
      expect(setup.body).toMatchObject({ authenticated: true, passwordRequired: true })
      expect((await only.get('/api/settings')).status).toBe(200)
      const off = await only.post(DISABLE, { code: code(secret) })
      expect(off.status).toBe(200)
      expect(await totpState()).toEqual({ secret: false, required: 0 })
    })

    it('password setup by a visitor does not pass the code step of the TOTP-only state', async () => {
      await configureTotp(api, clock, PASSWORD)
      await t.database.db
        .updateTable('dashboard_settings')
        .set({ password_hash: null, totp_required_on_login: 1 })
        .execute()
      clock.advance(TOTP_STEP_MS)
      const visitor = new DashboardClient(t.url)
      const setup = await visitor.post('/api/dashboard-auth/password/setup', {
        password: 'a visitor password',
      })
      expect(setup.status).toBe(200)
      expect(setup.body).toMatchObject({ authenticated: false, totpRequiredOnLogin: true })
      const res = await visitor.get('/api/settings')
      expect(res.status).toBe(401)
      expect(res.body.error.code).toBe('totp_required')
    })
  })
}
