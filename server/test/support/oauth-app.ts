import { afterAll, beforeAll, beforeEach } from 'vitest'
import { accountsListResponseSchema } from '../../src/modules/accounts/index.js'
import { DashboardClient, startDialectApp } from './dashboard-client.js'
import type { dialects } from './dialects.js'
import { startFakeUpstream, type FakeAccount, type FakeUpstream } from './fake-upstream.js'
import { beginSignIn } from './oauth.js'
import type { TestApp } from './test-app.js'

type Dialect = Awaited<ReturnType<typeof dialects>>[number]

export interface OAuthAppFixture {
  fake: FakeUpstream
  t: TestApp
  api: DashboardClient
  /** The account ids GET /api/accounts lists. */
  accountIds(): Promise<string[]>
  /** beginSignIn on this app and fake. */
  begin(account: FakeAccount): ReturnType<typeof beginSignIn>
}

/**
 * For a test file that signs in through the dashboard's OAuth routes: a fake auth server and the
 * app on `dialect` pointed at it (ephemeral callback port), made before the file's tests and
 * closed after them; the fake is reset before each test. The returned object is filled in by then
 * (its functions can be taken off it at once).
 */
export function oauthAppFixture(dialect: Dialect): OAuthAppFixture {
  const fixture = {
    async accountIds() {
      const res = await fixture.api.get('/api/accounts')
      return accountsListResponseSchema.parse(res.body).accounts.map((a) => a.accountId)
    },
    begin: (account: FakeAccount) => beginSignIn(fixture.api, fixture.fake, account),
  } as OAuthAppFixture
  beforeAll(async () => {
    fixture.fake = await startFakeUpstream()
    fixture.t = await startDialectApp(dialect, {
      env: { AUTH_BASE_URL: fixture.fake.authBaseUrl, OAUTH_CALLBACK_PORT: '0' },
    })
    fixture.api = new DashboardClient(fixture.t.url)
  })
  afterAll(async () => {
    await fixture.t?.close()
    await fixture.fake?.close()
  })
  beforeEach(() => fixture.fake.reset())
  return fixture
}
