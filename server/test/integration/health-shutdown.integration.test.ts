import { describe, expect, it } from 'vitest'
import { readSse } from '../support/fake-upstream.js'
import { processFixture } from '../support/process-fixture.js'
import { spawnServer } from '../support/server-process.js'

// A load balancer polling /health/ready must see the replica leave before its streams are cut:
// after SIGTERM the real process answers ready 503 (and still serves) for
// CODEX_LB_SHUTDOWN_DELAY_SECONDS, then stops accepting, finishes the stream and exits 0.

const f = processFixture('codex-lb-ready-drain-', 'ready-drain@example.com')

describe('readiness during a shutdown of the server process', () => {
  it('answers ready 503 while still serving, then finishes the stream and exits 0', async () => {
    // About 3 s of stream: each event waits 250 ms.
    f.fake.scriptDefault({ kind: 'ok', eventDelayMs: 250 })
    const server = spawnServer({ ...f.env, CODEX_LB_SHUTDOWN_DELAY_SECONDS: '1.5' }, f.dir)
    const url = await server.url()
    expect((await fetch(`${url}/health/ready`)).status).toBe(200)
    const res = await fetch(`${url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-5.5', input: 'hi', stream: true }),
    })
    expect(res.status).toBe(200)
    const body = readSse(res)

    server.child.kill('SIGTERM')
    await server.waitFor(/not ready, still serving for 1.5 s/)
    const ready = await fetch(`${url}/health/ready`)
    expect(ready.status).toBe(503)
    expect(await ready.json()).toMatchObject({ status: 'not_ready', checks: { draining: true } })
    // Still serving: a load balancer that has not noticed yet loses nothing.
    expect((await fetch(`${url}/health/live`)).status).toBe(200)

    expect((await body).types.at(-1)).toBe('response.completed')
    expect(await server.exit).toBe(0)
    // Once the delay is over the listener is closed.
    await expect(fetch(`${url}/health/live`)).rejects.toThrow()
    expect(server.err()).toBe('')
  }, 60_000)
})
