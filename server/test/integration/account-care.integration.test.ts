import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  accountCheckResponseSchema,
  accountRefreshResponseSchema,
} from '../../src/modules/accounts/index.js'
import { DashboardClient } from '../support/dashboard-client.js'
import { dialects } from '../support/dialects.js'
import { decodeJwtPayload } from '../support/jwt.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'

const DIALECTS = await dialects()

/** SQLite lives in the test app's own temp dir; PostgreSQL gets a fresh schema. */
async function harnessDatabase(dialect: (typeof DIALECTS)[number]) {
  return dialect.name === 'sqlite' ? {} : { database: await dialect.make('') }
}

// Issue 12 item 4: a display name per account, "check now" and "refresh token now".
describe.each(DIALECTS)('account care over HTTP ($name)', (dialect) => {
  let h: ProxyHarness
  let api: DashboardClient

  beforeEach(async () => {
    h = await startProxyHarness(await harnessDatabase(dialect))
    api = new DashboardClient(h.t.url)
  })
  afterEach(async () => h.close())

  const pathOf = (id: string) => `/api/accounts/${encodeURIComponent(id)}`
  const listed = async (id: string) =>
    ((await api.get('/api/accounts')).body.accounts as Array<Record<string, unknown>>).find(
      (a) => a.accountId === id,
    )

  it('PATCH alias sets a trimmed display name, null clears it, bad values are 422s naming it', async () => {
    const a = await h.addAccount({ email: 'alias@example.com' })
    const path = pathOf(a.id)

    const set = await api.patch(path, { alias: '  Team laptop  ' })
    expect(set.status).toBe(200)
    expect(set.body).toEqual({ accountId: a.id, routeOrder: null, alias: 'Team laptop' })
    expect(await listed(a.id)).toMatchObject({
      email: 'alias@example.com',
      alias: 'Team laptop',
      displayName: 'Team laptop',
    })
    // The two fields are independent: setting one keeps the other.
    expect((await api.patch(path, { routeOrder: 2 })).body).toEqual({
      accountId: a.id,
      routeOrder: 2,
      alias: 'Team laptop',
    })

    for (const alias of ['', '   ', 'x'.repeat(65), 42, ['a']]) {
      const res = await api.patch(path, { alias })
      expect(res.status, `alias ${JSON.stringify(alias)}`).toBe(422)
      expect(res.body.error.message).toContain('alias')
    }
    expect((await api.patch(path, { alias: 'x'.repeat(64) })).status).toBe(200)
    expect((await api.patch('/api/accounts/nobody', { alias: 'x' })).status).toBe(404)

    const cleared = await api.patch(`${path}/`, { alias: null })
    expect(cleared.body.alias).toBeNull()
    expect(await listed(a.id)).toMatchObject({ alias: null, displayName: 'alias@example.com' })
    const row = await h.t.database.db
      .selectFrom('accounts')
      .select(['alias', 'route_order'])
      .where('id', '=', a.id)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ alias: null, route_order: 2 })
  })

  it('check now fetches the usage at once, stores the windows and answers them', async () => {
    const a = await h.addAccount()
    const resetAt = Math.floor(Date.now() / 1000) + 3600
    h.fake.setUsage(a, {
      primaryUsedPercent: 37,
      primary: { resetAt },
      secondaryUsedPercent: 12,
    })
    const before = h.fake.requestsTo('/backend-api/wham/usage').length

    const res = await api.post(`${pathOf(a.id)}/check`)
    expect(res.status).toBe(200)
    const body = accountCheckResponseSchema.parse(res.body)
    expect(h.fake.requestsTo('/backend-api/wham/usage')).toHaveLength(before + 1)
    expect(body).toMatchObject({
      accountId: a.id,
      ok: true,
      status: 'active',
      usage: {
        primaryUsedPercent: 37,
        primaryResetAt: new Date(resetAt * 1000).toISOString(),
        secondaryUsedPercent: 12,
      },
    })
    expect(body.error).toBeUndefined()
    expect(body.tokenExpiresAt).not.toBeNull()
    // Stored: the accounts list (what the dashboard shows) has the new windows.
    expect(await listed(a.id)).toMatchObject({
      usage: { primaryRemainingPercent: 63, secondaryRemainingPercent: 88 },
    })

    expect((await api.post('/api/accounts/nobody/check')).status).toBe(404)
  })

  it('check now reports an upstream failure in its answer, not as a 500', async () => {
    const a = await h.addAccount()
    h.fake.setUsage(a, { primaryUsedPercent: 5 })
    await api.post(`${pathOf(a.id)}/check`)
    h.fake.setUsage(a, { status: 429, body: { error: { message: 'slow down please' } } })

    const res = await api.post(`${pathOf(a.id)}/check`)
    expect(res.status).toBe(200)
    const body = accountCheckResponseSchema.parse(res.body)
    expect(body.ok).toBe(false)
    expect(body.error).toEqual({
      code: 'usage_fetch_failed',
      message: 'HTTP 429: slow down please',
    })
    // The last known windows are still shown.
    expect(body.usage.primaryUsedPercent).toBe(5)
  })

  it('refresh now rotates the token at the auth server and answers the new expiry', async () => {
    const a = await h.addAccount()
    const generation = h.fake.tokens(a).generation

    const res = await api.post(`${pathOf(a.id)}/refresh`)
    expect(res.status).toBe(200)
    const body = accountRefreshResponseSchema.parse(res.body)
    const tokens = h.fake.tokens(a)
    expect(tokens.generation).toBe(generation + 1)
    const exp = decodeJwtPayload(tokens.accessToken).exp as number
    expect(body).toEqual({
      accountId: a.id,
      refreshed: true,
      status: 'active',
      tokenExpiresAt: new Date(exp * 1000).toISOString(),
    })
    expect((await api.post('/api/accounts/nobody/refresh')).status).toBe(404)
  })

  it('refresh now reports a permanent failure and the account is deactivated', async () => {
    const a = await h.addAccount()
    h.fake.failRefresh(a, 'refresh_token_expired')

    const res = await api.post(`${pathOf(a.id)}/refresh`)
    expect(res.status).toBe(200)
    const body = accountRefreshResponseSchema.parse(res.body)
    expect(body).toMatchObject({
      accountId: a.id,
      refreshed: false,
      status: 'deactivated',
      error: { code: 'refresh_token_expired', permanent: true },
    })
    expect(JSON.stringify(body)).not.toContain(h.fake.tokens(a).refreshToken)
    expect(await listed(a.id)).toMatchObject({ status: 'deactivated' })
  })
})
