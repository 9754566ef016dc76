import { mkdtempSync, rmSync } from 'node:fs'
import { sql } from 'kysely'
import { logRow } from '../support/log-rows.js'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dialects, freshPostgresUrl, postgresAvailability } from '../support/dialects.js'
import { readSse } from '../support/fake-upstream.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'
import { startTcpCut, type TcpCut } from '../support/tcp-cut.js'
import { startTestApp, type TestApp } from '../support/test-app.js'

// The probes a supervisor and a load balancer poll: no session, no key, nothing secret.

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url)
  return { status: res.status, body: await res.json() }
}

/** Polls until `predicate` holds for the ready answer (each probe is cached for about 1 s). */
async function readyUntil(
  base: string,
  predicate: (r: { status: number; body: unknown }) => boolean,
  timeoutMs = 8000,
) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const answer = await getJson(`${base}/health/ready`)
    if (predicate(answer) || Date.now() > deadline) return answer
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

async function openStream(url: string): Promise<Response> {
  const res = await fetch(`${url}/v1/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-5.5', input: 'hi', stream: true }),
  })
  expect(res.status).toBe(200)
  return res
}

for (const dialect of await dialects()) {
  describe(`health endpoints on ${dialect.name}`, () => {
    let dir: string
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'codex-lb-health-'))
    })
    afterAll(() => rmSync(dir, { recursive: true, force: true }))

    it('live and /health answer ok, ready answers 200 with its checks, all without a session', async () => {
      const t = await startTestApp({ database: await dialect.make(dir) })
      try {
        expect(await getJson(`${t.url}/health`)).toEqual({ status: 200, body: { status: 'ok' } })
        expect(await getJson(`${t.url}/health/live`)).toEqual({
          status: 200,
          body: { status: 'ok' },
        })
        expect(await getJson(`${t.url}/health/ready`)).toEqual({
          status: 200,
          body: { status: 'ok', checks: { database: 'ok', migrations: 'ok', draining: false } },
        })
      } finally {
        await t.close()
      }
    })

    it('a drain turns ready 503 first; the stream in flight still finishes and is logged', async () => {
      let h: ProxyHarness | undefined = await startProxyHarness({
        database: await dialect.make(join(dir, 'drain')),
      })
      try {
        await h.addAccount()
        // About 3 s of stream: each event waits 250 ms.
        h.fake.scriptDefault({ kind: 'ok', eventDelayMs: 250 })
        const body = readSse(await openStream(h.t.url))

        h.t.app.drain.begin()
        expect(await getJson(`${h.t.url}/health/ready`)).toEqual({
          status: 503,
          body: {
            status: 'not_ready',
            checks: { database: 'ok', migrations: 'ok', draining: true },
          },
        })
        expect((await getJson(`${h.t.url}/health/live`)).status).toBe(200)
        expect(h.t.app.drain.inFlight).toBeGreaterThan(0)

        const closed = h.t.app.close()
        expect((await body).types.at(-1)).toBe('response.completed')
        await closed
        const rows = await h.t.database.db.selectFrom('request_logs').select('status').execute()
        expect(rows).toEqual([{ status: 'success' }])
        await h.t.database.close()
        await h.fake.close()
        h = undefined
      } finally {
        await h?.close()
      }
    })
  })
}

describe.skipIf(!(await postgresAvailability()).available)(
  'a replica that loses PostgreSQL',
  () => {
    let t: TestApp
    let cut: TcpCut
    beforeAll(async () => {
      const url = new URL(await freshPostgresUrl())
      cut = await startTcpCut(url.hostname, Number(url.port || 5432))
      url.hostname = '127.0.0.1'
      url.port = String(cut.port)
      t = await startTestApp({ database: { kind: 'postgres', url: url.toString(), poolSize: 2 } })
    })
    afterAll(async () => {
      await t.close()
      await cut.cut()
    })

    it('answers not ready while the database is gone and ready again once it is back', async () => {
      expect((await getJson(`${t.url}/health/ready`)).status).toBe(200)

      await cut.cut()
      expect(await readyUntil(t.url, (r) => r.status === 503)).toEqual({
        status: 503,
        body: {
          status: 'not_ready',
          checks: { database: 'unreachable', migrations: 'ok', draining: false },
        },
      })
      expect((await getJson(`${t.url}/health/live`)).status).toBe(200)
      // A request that needs the database meanwhile is told to retry, not that the server broke.
      const during = await fetch(`${t.url}/api/request-logs`)
      expect(during.status).toBe(503)
      expect(during.headers.get('retry-after')).toBe('2')
      expect(((await during.json()) as { error: { code: string } }).error.code).toBe(
        'database_unavailable',
      )

      await cut.restore()
      expect(await readyUntil(t.url, (r) => r.status === 200)).toEqual({
        status: 200,
        body: { status: 'ok', checks: { database: 'ok', migrations: 'ok', draining: false } },
      })
    })

    it('survives losing the database in the middle of a transaction (the transaction fails, the process lives)', async () => {
      const inside = t.database.db.transaction().execute(async (trx) => {
        await sql`select 1`.execute(trx)
        // The connection is checked out and idle here, as during a job that holds its lock.
        await new Promise((resolve) => setTimeout(resolve, 400))
        await sql`select 1`.execute(trx)
      })
      await new Promise((resolve) => setTimeout(resolve, 100))
      await cut.cut()
      await expect(inside).rejects.toThrow()
      await cut.restore()
      expect(await readyUntil(t.url, (r) => r.status === 200)).toMatchObject({ status: 200 })
    })

    it('keeps the request-log rows it could not write while the database was gone, and writes them after', async () => {
      const writer = t.app.services.logWriter
      await cut.cut()
      const now = Date.now()
      for (let i = 0; i < 5; i++)
        writer.enqueue(logRow({ requested_at: now, request_id: `outage-${i}` }))
      // The writer tried, failed and kept them (it retries with backoff).
      await new Promise((resolve) => setTimeout(resolve, 500))
      expect(writer.stats.pending).toBe(5)
      await cut.restore()
      await writer.flush(20_000)
      const rows = await t.database.db
        .selectFrom('request_logs')
        .select('request_id')
        .where('request_id', 'like', 'outage-%')
        .execute()
      expect(rows.map((r) => r.request_id).sort()).toEqual(
        [0, 1, 2, 3, 4].map((i) => `outage-${i}`),
      )
      expect(writer.stats).toMatchObject({ pending: 0, dropped: 0 })
    })
  },
)
