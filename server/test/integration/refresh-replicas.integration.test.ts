import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { dialects } from '../support/dialects.js'
import { startFakeUpstream } from '../support/fake-upstream.js'
import { startTestApp } from '../support/test-app.js'

const PG = (await dialects()).filter((d) => d.name === 'postgres')

describe.each(PG)('token refresh across replicas ($name)', (dialect) => {
  it('two replicas forced to refresh at once use the refresh token once and share the result', async () => {
    const fake = await startFakeUpstream()
    const dataDir = mkdtempSync(join(tmpdir(), 'codex-lb-replicas-'))
    const database = await dialect.make(dataDir)
    const env = { UPSTREAM_BASE_URL: fake.backendBaseUrl, AUTH_BASE_URL: fake.authBaseUrl }
    // Same database, same key file: two processes' worth of services.
    const a = await startTestApp({ dataDir, database, env })
    const b = await startTestApp({ dataDir, database, env })
    try {
      const account = fake.addAccount({ email: 'shared@example.com' })
      fake.scriptRefresh(account, { kind: 'slow', ms: 300 })
      const imported = await a.app.services.accounts.importAuthJson(
        JSON.stringify(account.authJson),
      )
      const id = imported.account.id
      const [ca, cb] = await Promise.all([
        a.app.services.accounts.ensureFresh(id, { force: true }),
        b.app.services.accounts.ensureFresh(id, { force: true }),
      ])
      expect(fake.refreshCount(account)).toBe(1)
      expect(ca.accessToken).toBe(cb.accessToken)
      expect(ca.accessToken).toBe(fake.tokens(account).accessToken)
      const row = await a.database.db
        .selectFrom('accounts')
        .select('status')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
      expect(row.status).toBe('active')
    } finally {
      await a.close()
      await b.close()
      await fake.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})

describe('a re-login during a refresh', () => {
  it('keeps the tokens the re-login stored', async () => {
    const fake = await startFakeUpstream()
    const t = await startTestApp({ env: { AUTH_BASE_URL: fake.authBaseUrl } })
    try {
      const account = fake.addAccount({ email: 'race@example.com' })
      fake.scriptRefresh(account, { kind: 'slow', ms: 300 })
      const accounts = t.app.services.accounts
      const { account: stored } = await accounts.importAuthJson(JSON.stringify(account.authJson))
      const refreshing = accounts.ensureFresh(stored.id, { force: true })
      await new Promise((r) => setTimeout(r, 100))
      const relogin = structuredClone(account.authJson)
      relogin.tokens.refresh_token = 'rt_from_relogin'
      await accounts.importAuthJson(JSON.stringify(relogin))
      const credential = await refreshing
      expect(credential.accessToken).toBe(fake.tokens(account).accessToken)
      const row = await t.database.db
        .selectFrom('accounts')
        .select(['refresh_token_enc', 'status'])
        .where('id', '=', stored.id)
        .executeTakeFirstOrThrow()
      expect(t.cipher.decrypt(row.refresh_token_enc)).toBe('rt_from_relogin')
      expect(row.status).toBe('active')
    } finally {
      await t.close()
      await fake.close()
    }
  })
})
