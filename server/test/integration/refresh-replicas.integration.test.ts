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
