import { describe, expect, it } from 'vitest'
import { startFakeUpstream } from '../support/fake-upstream.js'
import { startTestApp } from '../support/test-app.js'

describe('a newly imported account', () => {
  it('shows its real quota right away, not after the next poll', async () => {
    const fake = await startFakeUpstream()
    const t = await startTestApp({
      startJobs: true,
      env: {
        UPSTREAM_BASE_URL: fake.backendBaseUrl,
        AUTH_BASE_URL: fake.authBaseUrl,
        // Far away, so only the import can have fetched the usage below.
        USAGE_REFRESH_INTERVAL_SECONDS: '3600',
      },
    })
    try {
      await t.app.services.scheduler.stop()
      const account = fake.addAccount({ email: 'fresh@example.com', planType: 'plus' })
      fake.setUsage(account, { primaryUsedPercent: 30, secondaryUsedPercent: 60 })
      const form = new FormData()
      form.append('auth_json', new Blob([JSON.stringify(account.authJson)]), 'auth.json')
      expect(
        (await fetch(`${t.url}/api/accounts/import`, { method: 'POST', body: form })).status,
      ).toBe(200)
      await expect
        .poll(
          async () => {
            const body = (await (await fetch(`${t.url}/api/accounts`)).json()) as {
              accounts: Array<{
                usage: { primaryRemainingPercent: number; secondaryRemainingPercent: number }
              }>
            }
            return body.accounts[0]?.usage
          },
          { timeout: 5000, interval: 100 },
        )
        .toEqual({ primaryRemainingPercent: 70, secondaryRemainingPercent: 40 })
    } finally {
      await t.close()
      await fake.close()
    }
  })
})
