import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DashboardClient, ManualClock, startDialectApp } from '../support/dashboard-client.js'
import { dialects } from '../support/dialects.js'
import { makeAuthJson, makeTokenSet, type TokenSet } from '../support/jwt.js'
import type { TestApp } from '../support/test-app.js'
import {
  configureTotp,
  TOTP_START as START,
  TOTP_STEP_MS as STEP,
  totpCodeAt,
} from '../support/totp-codes.js'

const DIALECTS = await dialects()
const PASSWORD = 'correct horse battery'
const WORKSPACE = 'ws-export-1'
const LAST_REFRESH = new Date(START - 3 * 86_400_000)

const reasonOf = (details: string | null): unknown =>
  details === null ? null : (JSON.parse(details) as { reason?: unknown }).reason

// Issue 12 item 4: an account's credentials as a Codex auth.json, behind re-entering the password
// (and a code when TOTP is on), rate limited per client, audited, never logged.
describe.each(DIALECTS)('POST /api/accounts/:id/auth-json ($name)', (dialect) => {
  let t: TestApp
  let clock: ManualClock
  let api: DashboardClient
  let tokens: TokenSet
  let accountId: string
  const lines: string[] = []
  const path = () => `/api/accounts/${encodeURIComponent(accountId)}/auth-json`

  beforeEach(async () => {
    lines.length = 0
    clock = new ManualClock(START)
    t = await startDialectApp(dialect, {
      clock,
      env: { LOG_LEVEL: 'trace' },
      logStream: { write: (line) => void lines.push(line) },
    })
    api = new DashboardClient(t.url)
    tokens = makeTokenSet({
      email: 'export@example.com',
      chatgptAccountId: WORKSPACE,
      planType: 'plus',
      now: Math.floor(START / 1000),
    })
    const file = JSON.stringify(makeAuthJson(tokens, WORKSPACE, LAST_REFRESH))
    accountId = (await t.app.services.accounts.importAuthJson(file)).account.id
  })
  afterEach(async () => t.close())

  /** Neither a token nor the password shows up in the server's log output. */
  const expectNothingSecretLogged = () => {
    const log = lines.join('\n')
    expect(log.length).toBeGreaterThan(0)
    for (const secret of [tokens.accessToken, tokens.refreshToken, tokens.idToken, PASSWORD]) {
      expect(log).not.toContain(secret)
    }
  }

  it('refuses while no dashboard password is set, saying so', async () => {
    const res = await api.post(path(), { password: 'anything at all' })
    expect(res.status).toBe(403)
    expect(res.body.error.code).toBe('password_not_configured')
    expect(res.body.error.message).toMatch(/requires a dashboard password/)
    expect(JSON.stringify(res.body)).not.toContain(tokens.refreshToken)
  })

  it('the right password downloads the Codex auth.json; a wrong one is a 403 without tokens', async () => {
    await api.post('/api/dashboard-auth/password/setup', { password: PASSWORD })
    await api.patch(`/api/accounts/${encodeURIComponent(accountId)}`, { alias: 'Team laptop' })

    expect((await new DashboardClient(t.url).post(path(), { password: PASSWORD })).status).toBe(401)
    const wrong = await api.post(path(), { password: 'not the password' })
    expect(wrong.status).toBe(403)
    expect(wrong.body.error.code).toBe('invalid_credentials')
    expect(JSON.stringify(wrong.body)).not.toContain(tokens.accessToken)
    const blank = await api.post(path(), {})
    expect(blank.status).toBe(422)
    expect(blank.body.error.message).toContain('password')

    const res = await api.post(path(), { password: PASSWORD })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="auth-Team-laptop.json"',
    )
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expect(res.body).toEqual(makeAuthJson(tokens, WORKSPACE, LAST_REFRESH))

    const missing = await api.post('/api/accounts/nobody/auth-json', { password: PASSWORD })
    expect(missing.status).toBe(404)
    expectNothingSecretLogged()

    // Every attempt that reached the export is audited (the 401 and the 422 never did), with why.
    const rows = await t.database.db
      .selectFrom('audit_log')
      .select(['outcome', 'target_type', 'target_id', 'details', 'client_ip'])
      .where('action', '=', 'account.credentials_exported')
      .orderBy('id')
      .execute()
    expect(
      rows.map((r) => [r.outcome, r.target_type, r.target_id, reasonOf(r.details), r.client_ip]),
    ).toEqual([
      ['failure', 'account', accountId, 'bad_password', '127.0.0.1'],
      ['success', 'account', accountId, null, '127.0.0.1'],
      ['failure', 'account', 'nobody', 'account_not_found', '127.0.0.1'],
    ])
    for (const secret of [tokens.refreshToken, tokens.accessToken, PASSWORD]) {
      expect(JSON.stringify(rows)).not.toContain(secret)
    }
  })

  it('the 6th attempt within 15 minutes is a 429 with Retry-After, successes included', async () => {
    await api.post('/api/dashboard-auth/password/setup', { password: PASSWORD })
    for (const password of [PASSWORD, 'wrong one', PASSWORD, 'wrong two', 'wrong three']) {
      expect((await api.post(path(), { password })).status).not.toBe(429)
    }
    const limited = await api.post(path(), { password: PASSWORD })
    expect(limited.status).toBe(429)
    expect(limited.body.error.code).toBe('export_rate_limited')
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(14 * 60)
    expect(JSON.stringify(limited.body)).not.toContain(tokens.refreshToken)

    const refused = await t.database.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'account.credentials_exported')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(reasonOf(refused.details)).toBe('rate_limited')

    clock.advance(15 * 60_000)
    expect((await api.post(path(), { password: PASSWORD })).status).toBe(200)
  })

  it('with TOTP on, a current code is required and neither it nor a login code can be replayed', async () => {
    const secret = await configureTotp(api, clock, PASSWORD)
    clock.advance(STEP)

    const noCode = await api.post(path(), { password: PASSWORD })
    expect(noCode.status).toBe(403)
    expect(noCode.body.error.code).toBe('totp_code_required')
    const badCode = await api.post(path(), { password: PASSWORD, totpCode: '000000' })
    expect(badCode.status).toBe(403)
    expect(badCode.body.error.code).toBe('invalid_totp_code')

    const code = totpCodeAt(secret, clock.now())
    const ok = await api.post(path(), { password: PASSWORD, totpCode: code })
    expect(ok.status).toBe(200)
    expect(ok.body.tokens.refresh_token).toBe(tokens.refreshToken)
    // The same step again, even with the right password: a replay.
    const replay = await api.post(path(), { password: PASSWORD, totpCode: code })
    expect(replay.status).toBe(403)
    expect(replay.body.error.code).toBe('invalid_totp_code')

    // A code spent on the login step is spent for the export too.
    clock.advance(STEP)
    const loginCode = totpCodeAt(secret, clock.now())
    expect((await api.post('/api/dashboard-auth/totp/verify', { code: loginCode })).status).toBe(
      200,
    )
    const reused = await api.post(path(), { password: PASSWORD, totpCode: loginCode })
    expect(reused.status).toBe(403)
    expect(reused.body.error.code).toBe('invalid_totp_code')
    expectNothingSecretLogged()
  })
})
