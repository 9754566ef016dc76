import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { readSse } from '../support/fake-upstream.js'
import { processFixture } from '../support/process-fixture.js'
import { spawnServer, type ServerProcess } from '../support/server-process.js'

// SIGTERM as a supervisor (systemd, docker stop, Ctrl-C) sends it to the real process: in-flight
// streams finish, their log rows land, and the process exits 0 long before its drain deadline.

const f = processFixture('codex-lb-shutdown-', 'shutdown@example.com')

function requestLogs(): Array<{ status: string; error_code: string | null }> {
  const db = new SQLite(join(f.dir, 'data', 'store.db'), { readonly: true })
  try {
    return db.prepare('select status, error_code from request_logs').all() as Array<{
      status: string
      error_code: string | null
    }>
  } finally {
    db.close()
  }
}

/** Opens a streaming /v1/responses request and waits for its first bytes (it is in flight). */
async function openStream(url: string): Promise<Response> {
  const res = await fetch(`${url}/v1/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-5.5', input: 'hi', stream: true }),
  })
  expect(res.status).toBe(200)
  return res
}

async function startServer(extra: Record<string, string>): Promise<[ServerProcess, string]> {
  const server = spawnServer({ ...f.env, ...extra }, f.dir)
  return [server, await server.url()]
}

describe('graceful shutdown of the server process', () => {
  it('finishes in-flight streams, writes their log rows and exits 0 well before the deadline', async () => {
    const before = requestLogs().length
    // About 3 s per stream: each event waits 250 ms.
    f.fake.scriptDefault({ kind: 'ok', eventDelayMs: 250 })
    const [server, url] = await startServer({ CODEX_LB_SHUTDOWN_DRAIN_SECONDS: '30' })
    const streams = await Promise.all([1, 2, 3, 4].map(() => openStream(url)))
    const bodies = streams.map((res) => readSse(res))

    const signalled = Date.now()
    server.child.kill('SIGTERM')
    await server.waitFor(/shutting down/)
    // No new connections once shutdown began.
    await expect(fetch(`${url}/health`)).rejects.toThrow()

    for (const body of bodies) expect((await body).types.at(-1)).toBe('response.completed')
    expect(await server.exit).toBe(0)
    expect(Date.now() - signalled).toBeLessThan(12_000)
    const rows = requestLogs().slice(before)
    expect(rows).toHaveLength(4)
    expect(rows.every((r) => r.status === 'success')).toBe(true)
    expect(server.err()).toBe('')
  }, 60_000)

  it('cuts what is still running at CODEX_LB_SHUTDOWN_DRAIN_SECONDS, logs it, and exits 0', async () => {
    const before = requestLogs().length
    f.fake.scriptDefault({ kind: 'stall', afterEvents: 2 })
    const [server, url] = await startServer({ CODEX_LB_SHUTDOWN_DRAIN_SECONDS: '1' })
    // The cut stream ends without its terminal event, or the read fails outright.
    const body = readSse(await openStream(url)).then(
      (r) => r.types,
      () => [],
    )

    const signalled = Date.now()
    server.child.kill('SIGTERM')
    expect(await server.exit).toBe(0)
    const elapsed = Date.now() - signalled
    expect(elapsed).toBeGreaterThanOrEqual(1000)
    expect(elapsed).toBeLessThan(8000)
    expect(await body).not.toContain('response.completed')
    const rows = requestLogs().slice(before)
    expect(rows).toHaveLength(1)
    expect(rows[0]!.status).toBe('error')
    expect(server.out()).toMatch(/drain deadline/)
  }, 60_000)

  it('a second signal exits at once, without waiting for the drain', async () => {
    f.fake.scriptDefault({ kind: 'stall', afterEvents: 2 })
    const [server, url] = await startServer({ CODEX_LB_SHUTDOWN_DRAIN_SECONDS: '30' })
    const body = readSse(await openStream(url)).catch(() => undefined)

    server.child.kill('SIGTERM')
    await server.waitFor(/shutting down/)
    const second = Date.now()
    server.child.kill('SIGINT')
    expect(await server.exit).toBe(1)
    expect(Date.now() - second).toBeLessThan(2000)
    expect(server.out()).toMatch(/second signal/i)
    await body
  }, 60_000)
})
