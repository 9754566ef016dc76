import OpenAI from 'openai'
import { DashboardClient } from './dashboard-client.js'
import { startFakeUpstream, type FakeAccount, type FakeUpstream } from './fake-upstream.js'
import { startTestApp, type TestApp, type TestAppOptions } from './test-app.js'

export interface ProxyHarness {
  fake: FakeUpstream
  t: TestApp
  /** Adds an account to the fake and imports it into codex-lb. */
  addAccount(
    options?: Parameters<FakeUpstream['addAccount']>[0],
  ): Promise<FakeAccount & { id: string }>
  sdk(prefix?: '/v1' | '/backend-api/codex'): OpenAI
  /**
   * Creates an API key (with these limits) and turns "Require API keys" on: the set-up of every
   * test of the key guard. Returns the key as shown once at creation.
   */
  requireApiKey(limits?: unknown[]): Promise<{ id: string; key: string }>
  /** Request-log rows once the queued writer has written them. */
  logs(): Promise<Array<Record<string, unknown>>>
  close(): Promise<void>
}

/** The real server pointed at a fake upstream, with background jobs off (tests drive them). */
export async function startProxyHarness(options: TestAppOptions = {}): Promise<ProxyHarness> {
  const fake = await startFakeUpstream()
  const t = await startTestApp({
    ...options,
    env: {
      UPSTREAM_BASE_URL: fake.backendBaseUrl,
      AUTH_BASE_URL: fake.authBaseUrl,
      ...options.env,
    },
  })
  return {
    fake,
    t,
    async addAccount(opts) {
      const account = fake.addAccount(opts)
      const result = await t.app.services.accounts.importAuthJson(JSON.stringify(account.authJson))
      t.app.services.pool.invalidate()
      return Object.assign(account, { id: result.account.id })
    },
    sdk(prefix = '/v1') {
      return new OpenAI({ baseURL: `${t.url}${prefix}`, apiKey: 'sk-test', maxRetries: 0 })
    },
    async requireApiKey(limits = []) {
      const api = new DashboardClient(t.url)
      const key = (await api.post('/api/api-keys/', { name: 'test key', limits })).body as {
        id: string
        key: string
      }
      await api.put('/api/settings', {
        stickyThreadsEnabled: true,
        preferEarlierResetAccounts: false,
        apiKeyAuthEnabled: true,
      })
      return key
    },
    async logs() {
      await t.app.services.logWriter.flush()
      const rows = await t.database.db
        .selectFrom('request_logs')
        .selectAll()
        .orderBy('id')
        .execute()
      return rows as unknown as Array<Record<string, unknown>>
    },
    async close() {
      await t.close()
      await fake.close()
    },
  }
}
