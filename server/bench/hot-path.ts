/**
 * The request-path rows of `npm run bench` (issue #15 part 4): a streamed Responses turn at c=1 and
 * c=32, the same turn as a streamed Chat Completions request, and with API-key auth on and a key
 * with a limit (so the key lookup, the reservation and its settlement are on the path).
 *
 * Standalone (`tsx server/bench/hot-path.ts`) it starts its own fake and proxy and prints only these
 * rows: what profiling and before/after comparisons need. BENCH_REQUESTS sets the c=1 count.
 */
import { pathToFileURL } from 'node:url'
import { Agent } from 'undici'
import { startFakeUpstream, type FakeUpstream } from '../test/support/fake-upstream.js'
import { importAccount, pct, row, startProxy, stopAll } from './harness.js'
import { codexSizedBody, load, totals, ttfbs, type Target } from './load.js'

export interface HotPathFigures {
  addedP50: number
  addedP99: number
  ratio32: number
  chatAddedP50: number
  chatRatio32: number
  bigAddedP50: number
  keyedAddedP50: number
  keyedAddedP99: number
  keyedRatio32: number
}

const CHAT_BODY = JSON.stringify({
  model: 'gpt-5.5',
  messages: [{ role: 'user', content: 'benchmark' }],
  stream: true,
})
const C32_REQUESTS = 6000

function ratioRow(name: string, direct: number, proxied: number): number {
  const ratio = proxied / direct
  const cols = [direct.toFixed(0), proxied.toFixed(0), ratio.toFixed(2)]
  console.log(`${name.padEnd(34)}${cols.map((c) => c.padStart(9)).join('')}`)
  return ratio
}

export async function putSettings(
  proxyUrl: string,
  change: Record<string, unknown>,
): Promise<void> {
  const current = (await (await fetch(`${proxyUrl}/api/settings`)).json()) as Record<
    string,
    unknown
  >
  const res = await fetch(`${proxyUrl}/api/settings`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      stickyThreadsEnabled: current['stickyThreadsEnabled'],
      preferEarlierResetAccounts: current['preferEarlierResetAccounts'],
      ...change,
    }),
  })
  if (!res.ok) throw new Error(`settings: ${res.status} ${await res.text()}`)
}

/** A key with a limit far from spent: every request reserves and settles against it. */
export async function createLimitedKey(proxyUrl: string): Promise<string> {
  const res = await fetch(`${proxyUrl}/api/api-keys/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'bench',
      limits: [
        { limitType: 'total_tokens', limitWindow: 'daily', maxValue: 1e12, modelFilter: null },
      ],
    }),
  })
  if (!res.ok) throw new Error(`api key: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { key: string }).key
}

/** c=1 latency rows (direct vs proxied); returns the added p50 and p99 of the last byte. */
async function latencyRows(
  agent: Agent,
  label: string,
  direct: Target,
  proxied: Target,
  requests: number,
  withTtfb: boolean,
): Promise<{ p50: number; p99: number }> {
  console.log(`\n${`${label}, c=1 (${requests} requests)`.padEnd(34)}   direct    proxy    added`)
  const d = await load(agent, direct, requests, 1)
  const p = await load(agent, proxied, requests, 1)
  const added = { p50: 0, p99: 0 }
  for (const q of [50, 99] as const) {
    if (withTtfb)
      row(`time to first byte p${q}`, pct(ttfbs(d.samples), q), pct(ttfbs(p.samples), q))
    const base = pct(totals(d.samples), q)
    const measured = pct(totals(p.samples), q)
    row(`time to last byte p${q}`, base, measured)
    added[q === 50 ? 'p50' : 'p99'] = measured - base
  }
  return added
}

async function throughputRow(
  agent: Agent,
  name: string,
  direct: Target,
  proxied: Target,
): Promise<number> {
  const d = await load(agent, direct, C32_REQUESTS, 32)
  const p = await load(agent, proxied, C32_REQUESTS, 32)
  return ratioRow(name, d.rps, p.rps)
}

/**
 * Prints the rows; leaves API-key auth off again afterwards (later sections send no key). The
 * direct column of the Chat rows is the Responses stream the proxy itself opens upstream.
 */
export async function hotPathRows(
  agent: Agent,
  fake: FakeUpstream,
  token: string,
  proxyUrl: string,
  requests = 2000,
): Promise<HotPathFigures> {
  const direct: Target = { url: `${fake.backendBaseUrl}/codex/responses`, token }
  const proxied: Target = { url: `${proxyUrl}/backend-api/codex/responses`, token: 'x' }
  const chat: Target = { url: `${proxyUrl}/v1/chat/completions`, token: 'x', body: CHAT_BODY }
  // Warm until the request path runs optimized code: with 300 requests only, the first c=1 row
  // timed the JIT too (+0.62 ms p50 when it came first, +0.24 ms after another row had run).
  for (const t of [direct, proxied, chat]) {
    await load(agent, t, 300, 8)
    await load(agent, t, 2000, 1)
  }

  const plain = await latencyRows(agent, 'stream', direct, proxied, requests, true)
  const chatAdded = await latencyRows(agent, 'chat stream', direct, chat, requests, false)
  const big = codexSizedBody()
  const bigDirect = { ...direct, body: big }
  const bigProxied = { ...proxied, body: big }
  for (const t of [bigDirect, bigProxied]) await load(agent, t, 200, 1)
  const bigAdded = await latencyRows(
    agent,
    `stream, ${Math.round(big.length / 1024)} KB body`,
    bigDirect,
    bigProxied,
    Math.ceil(requests / 4),
    false,
  )
  console.log(`\n${'concurrency 32'.padEnd(34)}   direct    proxy    ratio`)
  const ratio32 = await throughputRow(agent, 'stream throughput req/s', direct, proxied)
  const chatRatio32 = await throughputRow(agent, 'chat stream throughput req/s', direct, chat)

  const key = await createLimitedKey(proxyUrl)
  await putSettings(proxyUrl, { apiKeyAuthEnabled: true })
  try {
    const keyed: Target = { ...proxied, token: key }
    await load(agent, keyed, 300, 8)
    await load(agent, keyed, 1000, 1)
    const keyedAdded = await latencyRows(agent, 'keyed stream', direct, keyed, requests, false)
    console.log(`\n${'keyed, concurrency 32'.padEnd(34)}   direct    proxy    ratio`)
    const keyedRatio32 = await throughputRow(agent, 'keyed stream throughput req/s', direct, keyed)
    return {
      addedP50: plain.p50,
      addedP99: plain.p99,
      ratio32,
      chatAddedP50: chatAdded.p50,
      chatRatio32,
      bigAddedP50: bigAdded.p50,
      keyedAddedP50: keyedAdded.p50,
      keyedAddedP99: keyedAdded.p99,
      keyedRatio32,
    }
  } finally {
    await putSettings(proxyUrl, { apiKeyAuthEnabled: false })
  }
}

/** The target lines of these rows (issue #15: p50 ≤ 0.5 ms, p99 ≤ 3 ms, c=32 ratio ≥ 0.6). */
export function hotPathTargets(f: HotPathFigures): string[] {
  const line = (name: string, value: string, ok: boolean | null) =>
    `  ${name.padEnd(40)}${value}${ok === null ? '' : ok ? ' ok' : ' MISSED'}`
  return [
    line('added p50 <= 0.5 ms at c=1:', `${f.addedP50.toFixed(2)} ms`, f.addedP50 <= 0.5),
    line('added p99 <= 3 ms at c=1:', `${f.addedP99.toFixed(2)} ms`, f.addedP99 <= 3),
    line('stream throughput ratio >= 0.6 at c=32:', f.ratio32.toFixed(2), f.ratio32 >= 0.6),
    line('chat added p50 (no target):', `${f.chatAddedP50.toFixed(2)} ms`, null),
    line('chat throughput ratio at c=32 (no target):', f.chatRatio32.toFixed(2), null),
    line('codex-sized body added p50 (no target):', `${f.bigAddedP50.toFixed(2)} ms`, null),
    line('keyed added p50 (no target):', `${f.keyedAddedP50.toFixed(2)} ms`, null),
    line('keyed added p99 (no target):', `${f.keyedAddedP99.toFixed(2)} ms`, null),
    line('keyed throughput ratio at c=32 (no target):', f.keyedRatio32.toFixed(2), null),
  ]
}

async function main() {
  const agent = new Agent({ connections: 1200, keepAliveTimeout: 30_000, pipelining: 1 })
  const fake = await startFakeUpstream()
  const account = fake.addAccount({ email: 'bench@example.com' })
  const proxy = await startProxy(fake.backendBaseUrl, fake.authBaseUrl)
  try {
    await importAccount(proxy.url, account)
    const token = fake.tokens(account).accessToken
    const requests = Number(process.env['BENCH_REQUESTS'] ?? 2000)
    const figures = await hotPathRows(agent, fake, token, proxy.url, requests)
    console.log('\ntargets:')
    for (const line of hotPathTargets(figures)) console.log(line)
  } finally {
    await stopAll(proxy, fake, agent)
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err: unknown) => {
    console.error(err)
    process.exit(1)
  })
}
