/**
 * `npm run bench`: the fake upstream in this process, codex-lb (built) as a child process pointed at
 * it, and the same load sent directly and through the proxy, side by side in one run.
 */
import { Agent, request } from 'undici'
import { startFakeUpstream } from '../test/support/fake-upstream.js'
import { importAccount, pct, row, rssMb, startProxy, stopAll } from './harness.js'
import { hotPathRows, hotPathTargets } from './hot-path.js'
import { load, RESPONSES_BODY, totals, type Target } from './load.js'
import { selectionRows } from './selection.js'
import { logFlushRows } from './log-flush.js'
import { FOLLOW_UPS, turnLatencyRows, uploadRows } from './websocket.js'
import { concurrencyRows } from './websocket-load.js'
import { overflowRows } from './overflow.js'
import { dashboardRows, dashboardTargets } from './dashboard.js'

const agent = new Agent({ connections: 1200, keepAliveTimeout: 30_000, pipelining: 1 })

async function main() {
  // In process and first, while nothing else competes for the CPU.
  const selectionUs = await selectionRows()
  await logFlushRows()
  const fake = await startFakeUpstream()
  const account = fake.addAccount({ email: 'bench@example.com' })
  const proxy = await startProxy(fake.backendBaseUrl, fake.authBaseUrl)
  const results: Record<string, number> = {}
  try {
    await importAccount(proxy.url, account)
    const token = fake.tokens(account).accessToken
    const proxied = `${proxy.url}/backend-api/codex/responses`
    const directCompact: Target = { url: `${fake.backendBaseUrl}/codex/responses/compact`, token }
    const proxiedCompact: Target = { url: `${proxied}/compact`, token: 'x' }
    await load(agent, { url: proxied, token: 'x' }, 300, 8)
    await load(agent, proxiedCompact, 100, 8)
    await load(agent, { url: proxied, token: 'x' }, 640, 64)
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
          body: RESPONSES_BODY,
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

    const hot = await hotPathRows(agent, fake, token, proxy.url)

    console.log(`\n${'non-streaming, c=1 (2000 requests)'.padEnd(34)}   direct    proxy    added`)
    const dj = await load(agent, directCompact, 2000, 1)
    const pj = await load(agent, proxiedCompact, 2000, 1)
    for (const p of [50, 99]) {
      row(`non-streaming (compact) p${p}`, pct(totals(dj.samples), p), pct(totals(pj.samples), p))
    }
    const dj32 = await load(agent, directCompact, 6000, 32)
    const pj32 = await load(agent, proxiedCompact, 6000, 32)
    const ratio = (pj32.rps / dj32.rps).toFixed(2)
    console.log(
      `${'non-streaming throughput c=32'.padEnd(34)}${dj32.rps.toFixed(0).padStart(9)}${pj32.rps.toFixed(0).padStart(9)}${ratio.padStart(9)}`,
    )

    fake.reset()
    results['wsAddedP50'] = await turnLatencyRows(proxy.url, 2000)
    const upload = await uploadRows(fake, account, proxy.url)
    fake.reset()
    await concurrencyRows(fake, account, proxy.url)
    results['overflowAddedP50'] = await overflowRows()
    // BENCH_DASHBOARD=0 skips it: seeding a million rows per dialect takes minutes.
    const dashboard = process.env['BENCH_DASHBOARD'] === '0' ? [] : await dashboardRows()

    console.log('\ntargets:')
    for (const line of hotPathTargets(hot)) console.log(line)
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
    await stopAll(proxy, fake, agent)
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
