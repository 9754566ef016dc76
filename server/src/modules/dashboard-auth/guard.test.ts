import { randomBytes } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import { describe, expect, it } from 'vitest'
import { createDashboardGuard, rejectCrossOrigin } from './guard.js'
import { SessionCodec } from './session-codec.js'
import type { AuthSettings } from './session-policy.js'
import { Sessions } from './sessions.js'

const request = (fields: Partial<FastifyRequest>) => fields as FastifyRequest

describe('dashboard guard', () => {
  it('fails closed in the TOTP-only state and warns once (dashboard_auth_migration_inconsistency)', async () => {
    const warnings: unknown[][] = []
    let state: AuthSettings = {
      passwordConfigured: false,
      totpRequiredOnLogin: true,
      totpConfigured: false,
      sessionEpoch: 0,
    }
    const guard = createDashboardGuard({
      settings: { get: async () => state },
      sessions: new Sessions(new SessionCodec(randomBytes(32)), { now: () => 0 }),
      log: { warn: (...args: unknown[]) => void warnings.push(args) },
    })
    const anonymous = request({ cookies: {} })
    await expect(guard(anonymous)).rejects.toMatchObject({
      status: 401,
      code: 'authentication_required',
    })
    await expect(guard(anonymous)).rejects.toMatchObject({ status: 401 })
    expect(warnings).toHaveLength(1)
    expect(JSON.stringify(warnings[0])).toContain('dashboard_auth_migration_inconsistency')

    state = { ...state, totpRequiredOnLogin: false }
    await expect(guard(anonymous)).resolves.toBeUndefined()
  })
})

describe('CSRF check', () => {
  const req = (method: string, headers: Record<string, string>) =>
    request({ method, headers: { host: '127.0.0.1:2455', ...headers } })

  it.each([
    ['POST', {}, true],
    ['POST', { origin: 'http://127.0.0.1:2455' }, true],
    ['POST', { origin: 'https://127.0.0.1:2455' }, true],
    ['POST', { origin: 'http://evil.example' }, false],
    ['POST', { origin: 'http://127.0.0.1:5173' }, false],
    ['DELETE', { origin: 'null' }, false],
    ['PUT', { 'sec-fetch-site': 'cross-site' }, false],
    ['PATCH', { 'sec-fetch-site': 'same-origin' }, true],
    ['GET', { origin: 'http://evil.example' }, true],
  ] as const)('%s %j → allowed %s', async (method, headers, allowed) => {
    const outcome = rejectCrossOrigin(req(method, headers))
    if (allowed) await expect(outcome).resolves.toBeUndefined()
    else await expect(outcome).rejects.toMatchObject({ status: 403, code: 'csrf_rejected' })
  })

  it('default ports compare equal', async () => {
    const r = request({
      method: 'POST',
      headers: { host: 'lb.example', origin: 'http://lb.example:80' },
    })
    await expect(rejectCrossOrigin(r)).resolves.toBeUndefined()
  })
})
