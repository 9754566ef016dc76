import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCodex } from '../support/codex-cli.js'
import { usageLimitReached } from '../support/fake-upstream.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'

describe('Codex CLI end to end', () => {
  let h: ProxyHarness
  beforeAll(async () => {
    h = await startProxyHarness()
    await h.addAccount({ email: 'cli@example.com' })
  })
  afterAll(async () => h.close())

  it('answers `codex exec` through codex-lb and reports the tokens', async () => {
    const run = await runCodex(h.t.url, 'say hi')
    expect(run.code, run.stderr).toBe(0)
    expect(run.answer).toBe('Hi from fake upstream!')
    const turn = run.events.find((e) => e['type'] === 'turn.completed')
    expect(turn?.['usage']).toMatchObject({ input_tokens: 42, output_tokens: 7 })
    const upstream = h.fake.requestsTo('/backend-api/codex/responses').at(-1)!
    expect(upstream.headers['originator']).toBe('codex_exec')
    expect(upstream.headers['authorization']).not.toContain('sk-clb-test')
    const logs = await h.logs()
    expect(logs.at(-1)).toMatchObject({
      status: 'success',
      endpoint: '/backend-api/codex/responses',
    })
  })

  it('shows the usual usage-limit message when every account is used up', async () => {
    h.fake.scriptDefault(usageLimitReached({ resetsInSeconds: 3600 }))
    h.fake.script(h.fake.accounts()[0]!, usageLimitReached({ resetsInSeconds: 3600 }))
    const run = await runCodex(h.t.url, 'say hi')
    expect(run.code).not.toBe(0)
    const failed = run.events.find((e) => e['type'] === 'turn.failed') as
      { error: { message: string } } | undefined
    expect(failed?.error.message).toMatch(/usage limit/i)
  })
})
