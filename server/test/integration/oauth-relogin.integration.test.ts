import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  accountsListResponseSchema,
  type AccountSummary,
} from '../../src/modules/accounts/index.js'
import { DashboardClient, startDialectApp } from '../support/dashboard-client.js'
import { dialects } from '../support/dialects.js'
import { startFakeUpstream, type FakeAccount, type FakeUpstream } from '../support/fake-upstream.js'
import { authorizeParams, callbackUrl, startOAuth, visit } from '../support/oauth.js'
import type { TestApp } from '../support/test-app.js'

const DIALECTS = await dialects()
const MINUTE = 60_000

describe.each(DIALECTS)('keeping accounts healthy on $name', (dialect) => {
  let fake: FakeUpstream
  let t: TestApp
  let api: DashboardClient
  let codes = 0
  let offset = 0
  const clock = { now: () => Date.now() + offset }

  beforeAll(async () => {
    fake = await startFakeUpstream()
    t = await startDialectApp(dialect, {
      clock,
      env: {
        AUTH_BASE_URL: fake.authBaseUrl,
        UPSTREAM_BASE_URL: fake.backendBaseUrl,
        OAUTH_CALLBACK_PORT: '0',
        OAUTH_TIMEOUT_SECONDS: '2',
      },
    })
    api = new DashboardClient(t.url)
  })
  afterAll(async () => {
    await t.close()
    await fake.close()
  })
  beforeEach(() => fake.reset())

  async function summary(accountId: string): Promise<AccountSummary> {
    const list = accountsListResponseSchema.parse((await api.get('/api/accounts')).body)
    const found = list.accounts.find((a) => a.accountId === accountId)
    if (!found) throw new Error(`account ${accountId} not listed`)
    return found
  }

  /** The whole browser sign-in, as the dashboard user would do it. */
  async function signIn(account: FakeAccount): Promise<string> {
    const start = await startOAuth(api)
    const { redirectUri, state } = authorizeParams(start.authorizationUrl!)
    codes += 1
    fake.registerAuthCode(`relogin-${codes}`, account)
    const page = await visit(callbackUrl(redirectUri, { code: `relogin-${codes}`, state }))
    expect(page.status).toBe(200)
    const status = (await api.get(`/api/oauth/status?flowId=${start.flowId}`)).body
    expect(status.status).toBe('success')
    return status.accountId as string
  }

  it('refreshes before the access token expires (JWT exp), not only by age', async () => {
    const account = fake.addAccount({ tokenTtlSeconds: 3600 })
    const id = await signIn(account)
    const expiresAt = (await summary(id)).auth.access.expiresAt!
    // An hour left: not due (margin 5 min).
    expect((await t.app.services.accounts.refreshDueAccounts()).refreshed).not.toContain(id)
    expect(fake.refreshCount(account)).toBe(0)
    // 4 minutes before exp: due.
    offset = Date.parse(expiresAt) - 4 * MINUTE - Date.now()
    try {
      const sweep = await t.app.services.accounts.refreshDueAccounts()
      expect(sweep.refreshed).toContain(id)
    } finally {
      offset = 0
    }
    expect(fake.refreshCount(account)).toBe(1)
    expect((await t.app.services.accounts.getCredential(id)).accessToken).toBe(
      fake.tokens(account).accessToken,
    )
  })

  it('shows a permanent refresh failure as needing re-login; OAuth re-login restores it in place', async () => {
    const account = fake.addAccount({ email: 'healthy@example.com', tokenTtlSeconds: 120 })
    const id = await signIn(account)
    const created = (await t.app.services.accounts.get(id)).createdAt
    // Some history: two usage samples.
    fake.setUsage(account, { primaryUsedPercent: 30, secondaryUsedPercent: 10 })
    await t.app.services.usage.refreshAll()
    const usageRows = () =>
      t.database.db
        .selectFrom('usage_history')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .where('account_id', '=', id)
        .executeTakeFirstOrThrow()
        .then((r) => Number(r.n))
    const samples = await usageRows()
    expect(samples).toBeGreaterThan(0)

    fake.failRefresh(account, 'refresh_token_expired')
    const sweep = await t.app.services.accounts.refreshDueAccounts()
    expect(sweep.failed).toContainEqual({
      accountId: id,
      code: 'refresh_token_expired',
      permanent: true,
    })
    expect(await summary(id)).toMatchObject({
      status: 'deactivated',
      deactivationReason: 'Refresh token expired - re-login required',
    })

    // Re-login: the same account id, active again, reason gone, history kept.
    fake.scriptRefresh(account, { kind: 'ok' })
    expect(await signIn(account)).toBe(id)
    const restored = await summary(id)
    expect(restored).toMatchObject({
      status: 'active',
      deactivationReason: null,
      email: 'healthy@example.com',
      usage: { primaryRemainingPercent: 70, secondaryRemainingPercent: 90 },
    })
    expect((await t.app.services.accounts.get(id)).createdAt).toBe(created)
    expect(await usageRows()).toBe(samples)
    const ids = accountsListResponseSchema
      .parse((await api.get('/api/accounts')).body)
      .accounts.filter((a) => a.email === 'healthy@example.com')
    expect(ids).toHaveLength(1)

    // The new tokens are the ones stored: refreshing works again.
    const fresh = await t.app.services.accounts.ensureFresh(id, { force: true })
    expect(fresh.accessToken).toBe(fake.tokens(account).accessToken)
  })
})

describe('the token-refresh job', () => {
  it('runs on the scheduler and refreshes an expiring account by itself', async () => {
    const fake = await startFakeUpstream()
    const [sqlite] = DIALECTS
    const t = await startDialectApp(sqlite!, {
      startJobs: true,
      env: {
        AUTH_BASE_URL: fake.authBaseUrl,
        UPSTREAM_BASE_URL: fake.backendBaseUrl,
        USAGE_REFRESH_ENABLED: 'false',
        MODEL_REGISTRY_ENABLED: 'false',
        TOKEN_REFRESH_JOB_INTERVAL_SECONDS: '0.2',
      },
    })
    try {
      const account = fake.addAccount({ tokenTtlSeconds: 60 })
      await t.app.services.accounts.importAuthJson(JSON.stringify(account.authJson))
      await fake.waitForRequest('/oauth/token', { timeoutMs: 5_000 })
      expect(fake.refreshCount(account)).toBeGreaterThanOrEqual(1)
    } finally {
      await t.close()
      await fake.close()
    }
  })
})
