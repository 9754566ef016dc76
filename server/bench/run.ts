/**
 * `npm run bench`: the fake upstream in this process, codex-lb (built) as a child process pointed at
 * it, and the same load sent directly and through the proxy, side by side in one run.
 */
import { Agent, request } from 'undici'
import { startFakeUpstream } from '../test/support/fake-upstream.js'
import { importAccount, pct, row, rssMb, startProxy, stopProxy } from './harness.js'
import { selectionRows } from './selection.js'
import { FOLLOW_UPS, turnLatencyRows, uploadRows } from './websocket.js'
import { overflowRows } from './overflow.js'
import { dashboardRows, dashboardTargets } from './dashboard.js'

const agent = new Agent({ connections: 1200, keepAliveTimeout: 30_000, pipelining: 1 })
const BODY = JSON.stringify({ model: 'gpt-5.5', input: 'benchmark', instructions: 'x' })

interface Sample {
  ttfb: number
  total: number
}

async function once(url: string, token: string): Promise<Sample> {
  const start = performance.now()
  const res = await request(url, {
    method: 'POST',
    dispatcher: agent,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'text/event-stream',
    },
    body: BODY,
  })
  let ttfb = 0
  for await (const _chunk of res.body) if (!ttfb) ttfb = performance.now() - start
  if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`)
  return { ttfb, total: performance.now() - start }
}

async function load(url: string, token: string, requests: number, concurrency: number) {
  const samples: Sample[] = []
  let next = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        next++
        samples.push(await once(url, token))
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  return { samples, rps: samples.length / seconds }
}

async function main() {
  // In process and first, while nothing else competes for the CPU.
  const selectionUs = await selectionRows()
  const fake = await startFakeUpstream()
  const account = fake.addAccount({ email: 'bench@example.com' })
  const proxy = await startProxy(fake.backendBaseUrl, fake.authBaseUrl)
  const results: Record<string, number> = {}
  try {
    await importAccount(proxy.url, account)
    const token = fake.tokens(account).accessToken
    const direct = `${fake.backendBaseUrl}/codex/responses`
    const proxied = `${proxy.url}/backend-api/codex/responses`
    const directCompact = `${direct}/compact`
    const proxiedCompact = `${proxied}/compact`
    await load(direct, token, 300, 8)
    await load(proxied, 'x', 300, 8)
    await load(proxiedCompact, 'x', 100, 8)
    await load(proxied, 'x', 640, 64)
    // 1,000 open streams (after the warm-up above): the fake sends two events and then holds each stream open.
    fake.script(account, { kind: 'stall', afterEvents: 2 })
    await new Promise((r) => setTimeout(r, 500))
    const before = rssMb(proxy.child)
    const controllers: AbortController[] = []
    const opened = await Promise.all(
      Array.from({ length: 1000 }, async () => {
        const c = new AbortController()
        controllers.push(c)
        const res = await request(proxied, {
          method: 'POST',
          dispatcher: agent,
          headers: { 'content-type': 'application/json' },
          body: BODY,
          signal: c.signal,
        })
        const it = res.body[Symbol.asyncIterator]()
        await it.next()
        return res
      }),
    )
    await new Promise((r) => setTimeout(r, 1000))
    const during = rssMb(proxy.child)
    console.log(
      `\n1000 open streams: proxy RSS ${before.toFixed(1)} MB → ${during.toFixed(1)} MB (+${(during - before).toFixed(1)} MB)`,
    )
    results['extraMb'] = during - before
    for (const c of controllers) c.abort()
    void opened

    await new Promise((r) => setTimeout(r, 500))
    fake.reset()

    console.log(`\n${'concurrency 1 (2000 requests)'.padEnd(34)}   direct    proxy    added`)
    const d1 = await load(direct, token, 2000, 1)
    const p1 = await load(proxied, 'x', 2000, 1)
    for (const p of [50, 99]) {
      row(
        `stream time to first byte p${p}`,
        pct(
          d1.samples.map((s) => s.ttfb),
          p,
        ),
        pct(
          p1.samples.map((s) => s.ttfb),
          p,
        ),
      )
      row(
        `stream time to last byte p${p}`,
        pct(
          d1.samples.map((s) => s.total),
          p,
        ),
        pct(
          p1.samples.map((s) => s.total),
          p,
        ),
      )
    }
    const dj = await load(directCompact, token, 2000, 1)
    const pj = await load(proxiedCompact, 'x', 2000, 1)
    for (const p of [50, 99]) {
      row(
        `non-streaming (compact) p${p}`,
        pct(
          dj.samples.map((s) => s.total),
          p,
        ),
        pct(
          pj.samples.map((s) => s.total),
          p,
        ),
      )
    }
    results['addedP50'] =
      pct(
        p1.samples.map((s) => s.total),
        50,
      ) -
      pct(
        d1.samples.map((s) => s.total),
        50,
      )
    results['addedP99'] =
      pct(
        p1.samples.map((s) => s.total),
        99,
      ) -
      pct(
        d1.samples.map((s) => s.total),
        99,
      )

    console.log(`\n${'concurrency 64 (6000 requests)'.padEnd(34)}   direct    proxy    ratio`)
    const d64 = await load(direct, token, 6000, 64)
    const p64 = await load(proxied, 'x', 6000, 64)
    console.log(
      `${'stream throughput req/s'.padEnd(34)}${d64.rps.toFixed(0).padStart(9)}${p64.rps.toFixed(0).padStart(9)}${(p64.rps / d64.rps).toFixed(2).padStart(9)}`,
    )
    const dj64 = await load(directCompact, token, 6000, 64)
    const pj64 = await load(proxiedCompact, 'x', 6000, 64)
    console.log(
      `${'non-streaming throughput req/s'.padEnd(34)}${dj64.rps.toFixed(0).padStart(9)}${pj64.rps.toFixed(0).padStart(9)}${(pj64.rps / dj64.rps).toFixed(2).padStart(9)}`,
    )
    results['ratio'] = p64.rps / d64.rps

    fake.reset()
    results['wsAddedP50'] = await turnLatencyRows(proxy.url, 2000)
    const upload = await uploadRows(fake, account, proxy.url)
    results['overflowAddedP50'] = await overflowRows()
    // BENCH_DASHBOARD=0 skips it: seeding a million rows per dialect takes minutes.
    const dashboard = process.env['BENCH_DASHBOARD'] === '0' ? [] : await dashboardRows()

    console.log('\ntargets:')
    console.log(
      `  added p50 <= 1 ms at c=1:       ${results['addedP50']!.toFixed(2)} ms ${results['addedP50']! <= 1 ? 'ok' : 'MISSED'}`,
    )
    console.log(
      `  added p99 <= 5 ms at c=1:       ${results['addedP99']!.toFixed(2)} ms ${results['addedP99']! <= 5 ? 'ok' : 'MISSED'}`,
    )
    console.log(
      `  throughput ratio >= 0.6 at c=64: ${results['ratio']!.toFixed(2)} ${results['ratio']! >= 0.6 ? 'ok' : 'MISSED'}`,
    )
    console.log(
      `  < 50 MB extra for 1000 streams:  ${results['extraMb']!.toFixed(1)} MB ${results['extraMb']! < 50 ? 'ok' : 'MISSED'}`,
    )
    console.log(
      `  socket first event p50 <= HTTP + 1 ms: ${results['wsAddedP50']!.toFixed(2)} ms ${results['wsAddedP50']! <= 1 ? 'ok' : 'MISSED'}`,
    )
    console.log(
      `  overflow request added p50 (no target): ${results['overflowAddedP50']!.toFixed(2)} ms`,
    )
    console.log(
      `  pick among 200 accounts <= 100 µs (slowest strategy): ${selectionUs.toFixed(1)} µs ${selectionUs <= 100 ? 'ok' : 'MISSED'}`,
    )
    console.log(
      `  incremental upload < 10% of full (${FOLLOW_UPS} turns): ${(upload.ratio * 100).toFixed(2)}% ${upload.ratio < 0.1 ? 'ok' : 'MISSED'}`,
    )
    for (const line of dashboardTargets(dashboard)) console.log(line)
  } finally {
    await stopProxy(proxy)
    await fake.close().catch(() => undefined)
    await agent.close().catch(() => undefined)
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
