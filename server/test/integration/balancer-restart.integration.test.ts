import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rateLimited, startFakeUpstream, type FakeUpstream } from '../support/fake-upstream.js'
import { startTestApp, type TestApp } from '../support/test-app.js'

describe('balancer state across a restart', () => {
  let fake: FakeUpstream
  let dataDir: string
  beforeAll(async () => {
    fake = await startFakeUpstream()
    dataDir = mkdtempSync(join(tmpdir(), 'codex-lb-restart-'))
  })
  afterAll(async () => {
    await fake.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  const start = () =>
    startTestApp({
      dataDir,
      env: { UPSTREAM_BASE_URL: fake.backendBaseUrl, AUTH_BASE_URL: fake.authBaseUrl },
    })
  const post = (t: TestApp) =>
    fetch(`${t.url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-5.5', input: 'hi' }),
    })

  it('keeps cooldowns and the last-used order after a restart', async () => {
    const a = fake.addAccount({ email: 'a@example.com' })
    const b = fake.addAccount({ email: 'b@example.com' })
    const first = await start()
    for (const acc of [a, b])
      await first.app.services.accounts.importAuthJson(JSON.stringify(acc.authJson))
    fake.script(a, rateLimited(600))
    // Two requests: whichever account goes first, a ends up cooling down for ten minutes.
    expect((await post(first)).status).toBe(200)
    expect((await post(first)).status).toBe(200)
    await first.close()

    fake.reset()
    const second = await start()
    try {
      const before = fake.requestsTo('/backend-api/codex/responses').length
      for (let i = 0; i < 3; i++) expect((await post(second)).status).toBe(200)
      const served = fake
        .requestsTo('/backend-api/codex/responses')
        .slice(before)
        .map((r) => r.account?.email)
      // The cooldown written before the restart still holds: only b serves.
      expect(served).toEqual(['b@example.com', 'b@example.com', 'b@example.com'])
    } finally {
      await second.close()
    }
  })
})
