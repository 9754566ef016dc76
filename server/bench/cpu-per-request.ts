/**
 * The proxy's CPU time per request under one load (`npx tsx server/bench/cpu-per-request.ts`, after
 * `npm run build`): CPU seconds are steadier than req/s on a busy machine, so before/after
 * comparisons of the request path use this. With BENCH_PROXY_NODE_ARGS="--cpu-prof
 * --cpu-prof-dir=<dir>" the proxy also writes a CPU profile when it stops.
 *
 * Environment: C (concurrency, 32), N (requests, 20000), KIND (responses | chat | big | keyed).
 */
import { readFileSync } from 'node:fs'
import { Agent } from 'undici'
import { startFakeUpstream } from '../test/support/fake-upstream.js'
import { importAccount, startProxy, stopAll, type ProxyProcess } from './harness.js'
import { createLimitedKey, putSettings } from './hot-path.js'
import { codexSizedBody, load, type Target } from './load.js'

const CHAT_BODY = JSON.stringify({
  model: 'gpt-5.5',
  messages: [{ role: 'user', content: 'benchmark' }],
  stream: true,
})

/** User + system CPU of the proxy process so far, in ms (Linux /proc). */
function cpuMs(proxy: ProxyProcess): number {
  const fields = readFileSync(`/proc/${proxy.child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

async function targetFor(kind: string, proxyUrl: string): Promise<Target> {
  const responses = `${proxyUrl}/backend-api/codex/responses`
  if (kind === 'chat')
    return { url: `${proxyUrl}/v1/chat/completions`, token: 'x', body: CHAT_BODY }
  if (kind === 'big') return { url: responses, token: 'x', body: codexSizedBody() }
  if (kind !== 'keyed') return { url: responses, token: 'x' }
  const key = await createLimitedKey(proxyUrl)
  await putSettings(proxyUrl, { apiKeyAuthEnabled: true })
  return { url: responses, token: key }
}

async function main() {
  const concurrency = Number(process.env['C'] ?? 32)
  const requests = Number(process.env['N'] ?? 20_000)
  const kind = process.env['KIND'] ?? 'responses'
  const agent = new Agent({ connections: 1200, keepAliveTimeout: 30_000, pipelining: 1 })
  const fake = await startFakeUpstream()
  const account = fake.addAccount({ email: 'bench@example.com' })
  const proxy = await startProxy(fake.backendBaseUrl, fake.authBaseUrl)
  try {
    await importAccount(proxy.url, account)
    const target = await targetFor(kind, proxy.url)
    await load(agent, target, 500, 8)
    const before = cpuMs(proxy)
    const run = await load(agent, target, requests, concurrency)
    const perRequestUs = ((cpuMs(proxy) - before) * 1000) / requests
    console.log(
      `${kind}, c=${concurrency}, ${requests} requests: ${run.rps.toFixed(0)} req/s, ` +
        `proxy CPU ${perRequestUs.toFixed(0)} µs per request`,
    )
  } finally {
    await stopAll(proxy, fake, agent)
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
