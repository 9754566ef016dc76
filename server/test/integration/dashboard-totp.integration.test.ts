import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SESSION_KEY_PURPOSE, SessionCodec } from '../../src/modules/dashboard-auth/index.js'
import { DashboardClient, ManualClock, startDialectApp } from '../support/dashboard-client.js'
import { dialects } from '../support/dialects.js'
import type { TestApp } from '../support/test-app.js'
import {
  configureTotp as configureTotpFor,
  TOTP_START as START,
  TOTP_STEP_MS as STEP,
  totpCodeAt as codeAt,
} from '../support/totp-codes.js'

const DIALECTS = await dialects()
const PASSWORD = 'correct horse battery'

for (const dialect of DIALECTS) {
  describe(`dashboard TOTP (${dialect.name})`, () => {
    let t: TestApp
    let clock: ManualClock
    let api: DashboardClient

    beforeEach(async () => {
      clock = new ManualClock(START)
      t = await startDialectApp(dialect, { clock })
      api = new DashboardClient(t.url)
    })
    afterEach(async () => t.close())

    /** Password + confirmed TOTP secret; `api` holds a pw-only session. Returns the secret. */
    const configureTotp = () => configureTotpFor(api, clock, PASSWORD)

    it('enforcing TOTP needs a configured secret (400 invalid_totp_config)', async () => {
      const res = await api.put('/api/settings', {
        stickyThreadsEnabled: true,
        preferEarlierResetAccounts: false,
        totpRequiredOnLogin: true,
      })
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('invalid_totp_config')
    })

    it('setup needs a password session; start returns secret, otpauth URI and an SVG QR', async () => {
      expect((await api.post('/api/dashboard-auth/totp/setup/start')).status).toBe(401)
      await api.post('/api/dashboard-auth/password/setup', { password: PASSWORD })
      expect(
        (await new DashboardClient(t.url).post('/api/dashboard-auth/totp/setup/start')).status,
      ).toBe(401)
      const start = await api.post('/api/dashboard-auth/totp/setup/start')
      expect(start.status).toBe(200)
      expect(start.body.secret).toMatch(/^[A-Z2-7]{32}$/)
      const uri = new URL(start.body.otpauthUri)
      expect(uri.protocol).toBe('otpauth:')
      expect(uri.searchParams.get('issuer')).toBe('codex-lb')
      expect(uri.searchParams.get('secret')).toBe(start.body.secret)
      expect(start.body.qrSvgDataUri).toMatch(/^data:image\/svg\+xml;base64,/)
      const svg = Buffer.from(start.body.qrSvgDataUri.split(',')[1], 'base64').toString('utf8')
      expect(svg).toContain('<svg')
      // Nothing is stored until confirm.
      expect((await api.get('/api/settings')).body.totpConfigured).toBe(false)
    })

    it('confirm rejects a bad secret or code, then stores the secret (encrypted)', async () => {
      await api.post('/api/dashboard-auth/password/setup', { password: PASSWORD })
      const { secret } = (await api.post('/api/dashboard-auth/totp/setup/start')).body
      const badSecret = await api.post('/api/dashboard-auth/totp/setup/confirm', {
        secret: 'not base32!',
        code: '123456',
      })
      expect(badSecret.status).toBe(400)
      expect(badSecret.body.error.code).toBe('invalid_totp_setup')
      const wrong = codeAt(secret, clock.now() + 10 * STEP)
      const badCode = await api.post('/api/dashboard-auth/totp/setup/confirm', {
        secret,
        code: wrong,
      })
      expect(badCode.status).toBe(401)
      expect(badCode.body.error.code).toBe('invalid_totp_code')

      const ok = await api.post('/api/dashboard-auth/totp/setup/confirm', {
        secret: secret.toLowerCase(),
        code: codeAt(secret, clock.now()).replace(/^(\d{3})/, '$1 '),
      })
      expect(ok.status).toBe(200)
      // Confirm invalidated the cached settings (5 s, read by the session endpoint and the guard).
      expect((await api.get('/api/dashboard-auth/session')).body.totpConfigured).toBe(true)
      expect((await api.get('/api/settings')).body.totpConfigured).toBe(true)
      const row = await t.database.db
        .selectFrom('dashboard_settings')
        .select('totp_secret_enc')
        .executeTakeFirstOrThrow()
      expect(row.totp_secret_enc).not.toBeNull()
      expect(row.totp_secret_enc).not.toContain(secret)
      expect(t.cipher.decrypt(row.totp_secret_enc ?? '')).toBe(secret)
      const again = await api.post('/api/dashboard-auth/totp/setup/start')
      expect(again.status).toBe(400)
      expect(again.body.error.code).toBe('invalid_totp_setup')
    })

    it('full flow: enforce, log in with password then TOTP; replays (401) and half sessions refused', async () => {
      const secret = await configureTotp()
      const enforce = await api.put('/api/settings', {
        stickyThreadsEnabled: true,
        preferEarlierResetAccounts: false,
        totpRequiredOnLogin: true,
      })
      expect(enforce.status).toBe(200)
      expect(enforce.body.totpRequiredOnLogin).toBe(true)

      // The setup session proved only the password: the guard now wants TOTP, at once.
      const half = await api.get('/api/settings')
      expect(half.status).toBe(401)
      expect(half.body.error.code).toBe('totp_required')
      expect((await api.get('/api/dashboard-auth/session')).body).toEqual({
        authenticated: false,
        passwordRequired: true,
        totpRequiredOnLogin: true,
        totpConfigured: true,
      })
      const change = await api.post('/api/dashboard-auth/password/change', {
        currentPassword: PASSWORD,
        newPassword: 'another password',
      })
      expect(change.status).toBe(401)
      expect(change.body.error.code).toBe('totp_required')

      const visitor = new DashboardClient(t.url)
      expect((await visitor.get('/api/dashboard-auth/session')).body).toEqual({
        authenticated: false,
        passwordRequired: true,
        totpRequiredOnLogin: false,
        totpConfigured: true,
      })

      // The confirm code's step is used up: the same code cannot log in.
      const replay = await api.post('/api/dashboard-auth/totp/verify', {
        code: codeAt(secret, clock.now()),
      })
      expect(replay.status).toBe(401)
      expect(replay.body.error.code).toBe('invalid_totp_code')

      clock.advance(STEP)
      const code = codeAt(secret, clock.now())
      // Seed 004 §6.3: a valid code is not a login without the password session first.
      const noPassword = await visitor.post('/api/dashboard-auth/totp/verify', { code })
      expect(noPassword.status).toBe(401)
      expect(noPassword.body.error.code).toBe('authentication_required')
      expect(noPassword.setCookies).toEqual([])
      // Refused before the code was checked, so it is not used up for the real login.
      const verify = await api.post('/api/dashboard-auth/totp/verify', { code })
      expect(verify.status).toBe(200)
      expect(verify.body).toEqual({
        authenticated: true,
        passwordRequired: true,
        totpRequiredOnLogin: true,
        totpConfigured: true,
      })
      expect((await api.get('/api/settings')).status).toBe(200)

      // A code used to log in cannot then disable TOTP.
      const disableReplay = await api.post('/api/dashboard-auth/totp/disable', { code })
      expect(disableReplay.status).toBe(401)
      expect(disableReplay.body.error.code).toBe('invalid_totp_code')
    })

    it('accepts a code one step off either way (clock drift), never two', async () => {
      const secret = await configureTotp()
      clock.advance(3 * STEP)
      const verify = (client: DashboardClient, offsetSteps: number) =>
        client.post('/api/dashboard-auth/totp/verify', {
          code: codeAt(secret, clock.now() + offsetSteps * STEP),
        })
      expect((await verify(api, -2)).status).toBe(401)
      expect((await verify(api, +2)).status).toBe(401)
      const late = await verify(api, -1)
      expect(late.status).toBe(200)
      expect(late.body.authenticated).toBe(true)
      // The session verify issues proves both factors.
      const codec = new SessionCodec(t.cipher.deriveKey(SESSION_KEY_PURPOSE))
      expect(codec.open(api.cookie, clock.now())).toMatchObject({ pw: true, tv: true })
      const other = new DashboardClient(t.url)
      await other.post('/api/dashboard-auth/password/login', { password: PASSWORD })
      expect((await verify(other, +1)).status).toBe(200)
    })

    it('two concurrent verifies with one code: one 200, one 401 (a replay)', async () => {
      const secret = await configureTotp()
      clock.advance(STEP)
      const code = codeAt(secret, clock.now())
      const other = new DashboardClient(t.url)
      other.cookie = api.cookie
      const results = await Promise.all([
        api.post('/api/dashboard-auth/totp/verify', { code }),
        other.post('/api/dashboard-auth/totp/verify', { code }),
      ])
      expect(results.map((r) => r.status).sort()).toEqual([200, 401])
      const refused = results.find((r) => r.status === 401)
      expect(refused?.body.error.code).toBe('invalid_totp_code')
    })

    it('8 wrong codes, then 429 totp_rate_limited with Retry-After', async () => {
      const secret = await configureTotp()
      clock.advance(STEP)
      const wrong = codeAt(secret, clock.now() + 20 * STEP)
      for (let i = 0; i < 8; i += 1) {
        const res = await api.post('/api/dashboard-auth/totp/verify', { code: wrong })
        expect(res.status).toBe(401)
        expect(res.body.error.code).toBe('invalid_totp_code')
      }
      const limited = await api.post('/api/dashboard-auth/totp/verify', {
        code: codeAt(secret, clock.now()),
      })
      expect(limited.status).toBe(429)
      expect(limited.body.error.code).toBe('totp_rate_limited')
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    })

    it('removing the password wipes TOTP; stale cookies cannot start a new setup', async () => {
      await configureTotp()
      const stale = api.cookie
      expect(
        (await api.delete('/api/dashboard-auth/password', { password: PASSWORD })).status,
      ).toBe(200)
      expect((await api.get('/api/settings')).body).toMatchObject({
        totpConfigured: false,
        totpRequiredOnLogin: false,
      })
      await new DashboardClient(t.url).post('/api/dashboard-auth/password/setup', {
        password: 'second password',
      })
      const replay = new DashboardClient(t.url)
      replay.cookie = stale
      expect((await replay.post('/api/dashboard-auth/totp/setup/start')).status).toBe(401)
    })
  })
}
