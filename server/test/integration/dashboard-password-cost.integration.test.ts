import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import bcrypt from 'bcryptjs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { runCli } from '../../src/cli/run-cli.js'
import { DashboardClient } from '../support/dashboard-client.js'
import { startTestApp, type TestApp } from '../support/test-app.js'

// The suites run at bcrypt's cheapest cost (support/hash-cost.ts); this file proves the server hashes
// at whatever CODEX_LB_PASSWORD_HASH_COST says, and password.test.ts that the default is 12.
const PASSWORD = 'correct horse battery'
const COST = 6

describe('CODEX_LB_PASSWORD_HASH_COST', () => {
  let t: TestApp | undefined
  afterEach(async () => {
    vi.restoreAllMocks()
    await t?.close()
    t = undefined
  })

  const storedHash = async (app: TestApp) => {
    const row = await app.database.db
      .selectFrom('dashboard_settings')
      .select('password_hash')
      .executeTakeFirst()
    return row?.password_hash ?? null
  }

  it('sets the cost of stored hashes and of the compare a login without a password makes', async () => {
    t = await startTestApp({ env: { PASSWORD_HASH_COST: String(COST) } })
    const api = new DashboardClient(t.url)
    const compare = vi.spyOn(bcrypt, 'compare')

    const early = await api.post('/api/dashboard-auth/password/login', { password: PASSWORD })
    expect(early.body.error.code).toBe('password_not_configured')
    expect(compare).toHaveBeenCalledTimes(1)
    expect(bcrypt.getRounds(String(compare.mock.calls[0]?.[1]))).toBe(COST)

    expect(
      (await api.post('/api/dashboard-auth/password/setup', { password: PASSWORD })).status,
    ).toBe(200)
    const first = await storedHash(t)
    expect(bcrypt.getRounds(first ?? '')).toBe(COST)
    const changed = await api.post('/api/dashboard-auth/password/change', {
      currentPassword: PASSWORD,
      newPassword: `${PASSWORD}!`,
    })
    expect(changed.status).toBe(200)
    const second = await storedHash(t)
    expect(second).not.toBe(first)
    expect(bcrypt.getRounds(second ?? '')).toBe(COST)
  })

  it('a password stored at another cost still logs in after the setting changes', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'codex-lb-cost-'))
    try {
      const before = await startTestApp({ dataDir, env: { PASSWORD_HASH_COST: '5' } })
      const setup = await new DashboardClient(before.url).post(
        '/api/dashboard-auth/password/setup',
        { password: PASSWORD },
      )
      expect(setup.status).toBe(200)
      await before.close()
      t = await startTestApp({ dataDir, env: { PASSWORD_HASH_COST: String(COST) } })
      expect(bcrypt.getRounds((await storedHash(t)) ?? '')).toBe(5)
      const login = await new DashboardClient(t.url).post('/api/dashboard-auth/password/login', {
        password: PASSWORD,
      })
      expect(login.status).toBe(200)
    } finally {
      await t?.close()
      t = undefined
      rmSync(dataDir, { recursive: true, force: true })
    }
  })

  it.each(['3', '16', 'high'])(
    'refuses %s at startup, naming the variable and the range',
    async (value) => {
      let err = ''
      const io = {
        stdout: () => undefined,
        stderr: (text: string) => (err += text),
        env: { CODEX_LB_LOG_LEVEL: 'silent', CODEX_LB_PASSWORD_HASH_COST: value },
        cwd: tmpdir(),
      }
      expect(await runCli(['accounts', 'list'], io)).toBe(1)
      expect(err).toMatch(
        /^codex-lb: Invalid configuration:\n {2}- CODEX_LB_PASSWORD_HASH_COST: expected a whole number from 4 to 15/,
      )
    },
  )
})
