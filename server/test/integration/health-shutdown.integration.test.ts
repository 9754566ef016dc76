import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/run-cli.js'
import { readSse, startFakeUpstream, type FakeUpstream } from '../support/fake-upstream.js'
import { spawnServer } from '../support/server-process.js'

// A load balancer polling /health/ready must see the replica leave before its streams are cut:
// after SIGTERM the real process answers ready 503 (and still serves) for
// CODEX_LB_SHUTDOWN_DELAY_SECONDS, then stops accepting, finishes the stream and exits 0.

let fake: FakeUpstream
let dir: string
let env: Record<string, string>

beforeAll(async () => {
  fake = await startFakeUpstream()
  dir = mkdtempSync(join(tmpdir(), 'codex-lb-ready-drain-'))
  env = {
    CODEX_LB_DATA_DIR: join(dir, 'data'),
    CODEX_LB_UPSTREAM_BASE_URL: fake.backendBaseUrl,
    CODEX_LB_AUTH_BASE_URL: fake.authBaseUrl,
    CODEX_LB_LOG_FORMAT: 'json',
  }
  const account = fake.addAccount({ email: 'ready-drain@example.com' })
  writeFileSync(join(dir, 'auth.json'), JSON.stringify(account.authJson))
  const io = { stdout: () => undefined, stderr: () => undefined, env, cwd: dir }
  expect(await runCli(['accounts', 'import', 'auth.json'], io)).toBe(0)
})
afterAll(async () => {
  await fake.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('readiness during a shutdown of the server process', () => {
  it('answers ready 503 while still serving, then finishes the stream and exits 0', async () => {
    // About 3 s of stream: each event waits 250 ms.
    fake.scriptDefault({ kind: 'ok', eventDelayMs: 250 })
    const server = spawnServer({ ...env, CODEX_LB_SHUTDOWN_DELAY_SECONDS: '1.5' }, dir)
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
