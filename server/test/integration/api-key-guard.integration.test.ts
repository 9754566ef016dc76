import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DashboardClient, ManualClock, startDialectApp } from '../support/dashboard-client.js'
import { dialects } from '../support/dialects.js'
import type { TestApp } from '../support/test-app.js'

const DIALECTS = await dialects()
const START = Date.UTC(2026, 10, 1, 12, 0, 0)

for (const dialect of DIALECTS) {
  describe(`proxy API-key guard (${dialect.name})`, () => {
    let t: TestApp
    let clock: ManualClock
    let api: DashboardClient

    beforeEach(async () => {
      clock = new ManualClock(START)
      t = await startDialectApp(dialect, { clock })
      api = new DashboardClient(t.url)
    })
    afterEach(async () => t.close())

    const models = (authorization?: string, path = '/v1/models') =>
      fetch(`${t.url}${path}`, authorization ? { headers: { authorization } } : {})
    const enableKeys = () =>
      api.put('/api/settings', {
        stickyThreadsEnabled: true,
        preferEarlierResetAccounts: false,
        apiKeyAuthEnabled: true,
      })
    const expectInvalidKey = async (res: Response, message: string) => {
      expect(res.status).toBe(401)
      expect(await res.json()).toEqual({
        error: { message, type: 'authentication_error', code: 'invalid_api_key' },
      })
    }

    it('lets everything through while API-key auth is off', async () => {
      expect((await models()).status).toBe(200)
      expect((await models('Bearer whatever')).status).toBe(200)
    })

    it('once enabled: missing, unknown, inactive and expired keys get 401 invalid_api_key', async () => {
      const active = await api.post('/api/api-keys/', { name: 'ok' })
      const inactive = await api.post('/api/api-keys/', { name: 'off' })
      await api.patch(`/api/api-keys/${inactive.body.id}`, { isActive: false })
      const expiring = await api.post('/api/api-keys/', {
        name: 'old',
        expiresAt: new Date(START + 60_000).toISOString(),
      })
      expect((await enableKeys()).status).toBe(200)

      await expectInvalidKey(await models(), 'Missing API key in Authorization header')
      await expectInvalidKey(
        await models(`Basic ${active.body.key}`),
        'Missing API key in Authorization header',
      )
      await expectInvalidKey(await models('Bearer sk-clb-nope'), 'Invalid API key')
      await expectInvalidKey(await models(`Bearer ${inactive.body.key}`), 'Invalid API key')
      expect((await models(`Bearer ${expiring.body.key}`)).status).toBe(200)
      clock.advance(60_000)
      await expectInvalidKey(await models(`Bearer ${expiring.body.key}`), 'API key has expired')

      expect((await models(`bearer   ${active.body.key} `)).status).toBe(200)
      expect((await models(`Bearer ${active.body.key}`, '/backend-api/codex/models')).status).toBe(
        200,
      )
      await expectInvalidKey(
        await models(undefined, '/backend-api/codex/models'),
        'Missing API key in Authorization header',
      )
      // The guard runs before the body is read: no key and a broken body is still 401.
      const broken = await fetch(`${t.url}/v1/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"model": ',
      })
      await expectInvalidKey(broken, 'Missing API key in Authorization header')
      // The dashboard is not behind API keys.
      expect((await api.get('/api/settings')).status).toBe(200)
    })

    it('listing models is never blocked by a limit, even an exhausted global one (seed 002 §5.6)', async () => {
      const created = await api.post('/api/api-keys/', {
        name: 'capped',
        limits: [{ limitType: 'total_tokens', limitWindow: 'daily', maxValue: 10 }],
      })
      const principal = { id: created.body.id, name: 'capped', allowedModels: null }
      const { reservations } = t.app.services.apiKeys
      await reservations.settle(await reservations.reserve(principal, 'gpt-5.1'), {
        inputTokens: 10,
        outputTokens: 0,
        cachedInputTokens: 0,
      })
      await enableKeys()
      expect((await models(`Bearer ${created.body.key}`)).status).toBe(200)
    })

    it('proxy requests: 403 for a model the key may not use, 429 once a limit is spent', async () => {
      const restricted = await api.post('/api/api-keys/', {
        name: 'restricted',
        allowedModels: ['gpt-5.1'],
        limits: [{ limitType: 'total_tokens', limitWindow: 'daily', maxValue: 10 }],
      })
      await enableKeys()
      const call = (model: string) =>
        fetch(`${t.url}/v1/responses`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${restricted.body.key}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ model, input: 'hi' }),
        })
      const denied = await call('gpt-4o')
      expect(denied.status).toBe(403)
      expect((await denied.json()).error).toMatchObject({
        type: 'permission_error',
        code: 'model_not_allowed',
      })

      const principal = { id: restricted.body.id, name: 'restricted', allowedModels: ['gpt-5.1'] }
      const { reservations } = t.app.services.apiKeys
      await reservations.settle(await reservations.reserve(principal, 'gpt-5.1'), {
        inputTokens: 10,
        outputTokens: 0,
        cachedInputTokens: 0,
      })
      const spent = await call('gpt-5.1')
      expect(spent.status).toBe(429)
      expect((await spent.json()).error).toMatchObject({
        type: 'rate_limit_error',
        code: 'rate_limit_exceeded',
        message: expect.stringContaining('total_tokens daily limit exceeded'),
      })
    })
  })
}
