import { randomBytes } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import { describe, expect, it } from 'vitest'
import { createDashboardGuard } from './guard.js'
import { SessionCodec } from './session-codec.js'
import type { AuthSettings } from './session-policy.js'
import { Sessions } from './sessions.js'

const request = (fields: Partial<FastifyRequest>) => fields as FastifyRequest
const noRevocations = { isRevoked: async () => false, revoke: async () => undefined }

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
      sessions: new Sessions(new SessionCodec(randomBytes(32)), { now: () => 0 }, noRevocations),
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
