import { afterEach, describe, expect, it } from 'vitest'
import { BOOTSTRAP_MODELS } from '../../src/modules/models/index.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'

// Issue 9 item 3: the model list is the upstream's as soon as an account exists, not after the
// registry's next 5-minute refresh.
const UPSTREAM_ONLY = 'gpt-6.1-sol'

describe('model registry', () => {
  let h: ProxyHarness | undefined
  afterEach(async () => {
    await h?.close()
    h = undefined
  })

  async function v1Models(url: string): Promise<string[]> {
    const body = (await (await fetch(`${url}/v1/models`)).json()) as { data: Array<{ id: string }> }
    return body.data.map((m) => m.id)
  }

  it("lists the upstream's models within seconds of the first import", async () => {
    const harness = await startProxyHarness({ startJobs: true })
    h = harness
    expect(BOOTSTRAP_MODELS.map((m) => m.id)).not.toContain(UPSTREAM_ONLY)
    // Wait for the start-up tick (1 s after start): it finds no account, keeps the bootstrap list,
    // and the next one is 30 s away, so only the import below can fetch within the poll's 5 s.
    const registry = harness.t.app.services.models
    const tick = registry.refreshIfDue.bind(registry)
    let ticks = 0
    registry.refreshIfDue = async (now) => tick(now).finally(() => ticks++)
    await expect.poll(() => ticks, { timeout: 5000, interval: 50 }).toBe(1)
    expect(harness.fake.requestsTo('/backend-api/codex/models')).toHaveLength(0)
    expect(await v1Models(harness.t.url)).not.toContain(UPSTREAM_ONLY)

    const account = harness.fake.addAccount({ email: 'first@example.com' })
    const form = new FormData()
    form.append('auth_json', new Blob([JSON.stringify(account.authJson)]), 'auth.json')
    const res = await fetch(`${harness.t.url}/api/accounts/import`, { method: 'POST', body: form })
    expect(res.status).toBe(200)
    await expect
      .poll(() => v1Models(harness.t.url), { timeout: 5000, interval: 100 })
      .toContain(UPSTREAM_ONLY)
  })

  it('refreshIfDue fetches until a fetch succeeded, then once per refresh interval', async () => {
    const harness = await startProxyHarness({
      env: { MODEL_REGISTRY_REFRESH_INTERVAL_SECONDS: '300' },
    })
    h = harness
    const registry = harness.t.app.services.models
    const fetches = () => harness.fake.requestsTo('/backend-api/codex/models').length
    const t0 = Date.now()
    // No account yet: nothing to fetch with, so the next tick tries again.
    expect(await registry.refreshIfDue(t0)).toBe(false)
    await harness.addAccount({ email: 'a@example.com' })
    harness.fake.setModels({ status: 500, body: { detail: 'down' } })
    expect(await registry.refreshIfDue(t0 + 30_000)).toBe(false)
    expect(fetches()).toBe(1)
    harness.fake.setModels([{ slug: UPSTREAM_ONLY, display_name: 'Sol', supported_in_api: true }])
    expect(await registry.refreshIfDue(t0 + 60_000)).toBe(true)
    expect(registry.list().map((m) => m.id)).toEqual([UPSTREAM_ONLY])
    // Fetched: the next ticks within the interval leave the upstream alone.
    expect(await registry.refreshIfDue(t0 + 90_000)).toBe(false)
    expect(await registry.refreshIfDue(t0 + 60_000 + 299_000)).toBe(false)
    expect(fetches()).toBe(2)
    expect(await registry.refreshIfDue(t0 + 60_000 + 300_000)).toBe(true)
    expect(fetches()).toBe(3)
  })
})
