import { expect } from 'vitest'
import { DashboardClient } from '../dashboard-client.js'
import type { TestApp } from '../test-app.js'
import { totpCodeAt } from '../totp-codes.js'

export interface ImportedAccess {
  /** The plain API key the user's tools hold (the original kept only its SHA-256). */
  apiKey: string
  password: string
  totpSecret: string
  /** The key's limit as the original had it, half spent. */
  limit: { type: string; max: number; current: number }
}

/**
 * What must hold once the server runs on the imported data: the old key opens the proxy and an
 * imported account serves the request through the fake upstream (keys stay required), the old
 * password and a TOTP code of the old secret log in, and the spent part of the limit is still spent.
 */
export async function expectImportedWorks(t: TestApp, access: ImportedAccess): Promise<void> {
  const res = await fetch(`${t.url}/v1/responses`, {
    method: 'POST',
    headers: { authorization: `Bearer ${access.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-5.4', input: 'hi', stream: false }),
  })
  expect(res.status).toBe(200)
  expect((await fetch(`${t.url}/v1/models`)).status).toBe(401)

  const api = new DashboardClient(t.url)
  const login = await api.post('/api/dashboard-auth/password/login', { password: access.password })
  expect(login.status).toBe(200)
  const verify = await api.post('/api/dashboard-auth/totp/verify', {
    code: totpCodeAt(access.totpSecret, Date.now()),
  })
  expect(verify.status).toBe(200)
  const keys = await api.get('/api/api-keys/')
  expect(keys.status).toBe(200)
  const limit = keys.body[0].limits[0]
  expect([limit.limitType, limit.maxValue]).toEqual([access.limit.type, access.limit.max])
  // The request above may have added its own usage on top.
  expect(limit.currentValue).toBeGreaterThanOrEqual(access.limit.current)
  expect(limit.currentValue).toBeLessThan(
    access.limit.current + (access.limit.max - access.limit.current) / 5,
  )
}
