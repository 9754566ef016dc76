import {
  apiKeyCreatedSchema,
  apiKeyListSchema,
  apiKeySchema,
  dashboardSettingsSchema,
  sessionStateSchema,
  statusResponseSchema,
  totpSetupStartSchema,
} from '@codex-lb/shared'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DashboardClient, startDialectApp } from '../support/dashboard-client.js'
import { dialects } from '../support/dialects.js'
import type { TestApp } from '../support/test-app.js'

const DIALECTS = await dialects()

// The web dashboard parses every answer with the shared zod schemas: the server must satisfy them.
for (const dialect of DIALECTS) {
  describe(`auth, settings and API-key answers match the shared contract (${dialect.name})`, () => {
    let t: TestApp
    let api: DashboardClient

    beforeEach(async () => {
      t = await startDialectApp(dialect)
      api = new DashboardClient(t.url)
    })
    afterEach(async () => t.close())

    it('session, setup, TOTP start, settings, logout', async () => {
      sessionStateSchema.parse((await api.get('/api/dashboard-auth/session')).body)
      const setup = await api.post('/api/dashboard-auth/password/setup', {
        password: 'long enough',
      })
      sessionStateSchema.parse(setup.body)
      totpSetupStartSchema.parse((await api.post('/api/dashboard-auth/totp/setup/start')).body)
      dashboardSettingsSchema.parse((await api.get('/api/settings')).body)
      statusResponseSchema.parse((await api.post('/api/dashboard-auth/logout')).body)
    })

    it('API keys: create, list, patch, regenerate', async () => {
      const created = await api.post('/api/api-keys/', {
        name: 'k',
        allowedModels: ['gpt-5.1'],
        expiresAt: '2030-01-01T00:00:00Z',
        limits: [{ limitType: 'cost_usd', limitWindow: 'monthly', maxValue: 5_000_000 }],
      })
      const key = apiKeyCreatedSchema.parse(created.body)
      apiKeyListSchema.parse((await api.get('/api/api-keys/')).body)
      apiKeySchema.parse((await api.patch(`/api/api-keys/${key.id}`, { isActive: false })).body)
      const regenerated = apiKeyCreatedSchema.parse(
        (await api.post(`/api/api-keys/${key.id}/regenerate`)).body,
      )
      expect(regenerated.key).not.toBe(key.key)
      for (const time of [key.createdAt, key.expiresAt, key.limits[0]?.resetAt]) {
        expect(time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
      }
    })
  })
}
