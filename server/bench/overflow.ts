/**
 * Overflow overhead: the same streamed Responses request sent straight to a fake of the public
 * OpenAI API and through codex-lb with that fake as its overflow upstream (no accounts, mode
 * `exhausted`: every request takes the pool's "no account" path, then overflow).
 */
import { Agent, request } from 'undici'
import { startFakeOpenAi } from '../test/support/fake-openai.js'
import { pct, row, startProxy, stopProxy } from './harness.js'

const agent = new Agent({ connections: 16, keepAliveTimeout: 30_000, pipelining: 1 })
const BODY = JSON.stringify({ model: 'gpt-5.5', input: 'benchmark', stream: true })

async function timeOne(url: string, key: string): Promise<number> {
  const start = performance.now()
  const res = await request(url, {
    method: 'POST',
    dispatcher: agent,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: BODY,
  })
  for await (const _chunk of res.body) void _chunk
  if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`)
  return performance.now() - start
}

async function series(url: string, key: string, n: number): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < n; i++) out.push(await timeOne(url, key))
  return out
}

/** Prints the rows; returns the added p50 in ms. */
export async function overflowRows(requests = 2000): Promise<number> {
  const openai = await startFakeOpenAi()
  // The auth and backend URLs point nowhere: no account exists, so neither is ever called.
  const proxy = await startProxy('http://127.0.0.1:9/backend-api', 'http://127.0.0.1:9', {
    CODEX_LB_OVERFLOW_BASE_URL: openai.baseUrl,
    CODEX_LB_OVERFLOW_API_KEY: openai.apiKey,
    CODEX_LB_OVERFLOW_MODE: 'exhausted',
  })
  try {
    const direct = `${openai.baseUrl}/responses`
    const proxied = `${proxy.url}/v1/responses`
    await series(direct, openai.apiKey, 200)
    await series(proxied, 'x', 200)
    const d = await series(direct, openai.apiKey, requests)
    const p = await series(proxied, 'x', requests)
    console.log(
      `\n${`overflow, concurrency 1 (${requests} requests)`.padEnd(34)}   direct    proxy    added`,
    )
    for (const q of [50, 99]) row(`overflow stream time p${q}`, pct(d, q), pct(p, q))
    return pct(p, 50) - pct(d, 50)
  } finally {
    await stopProxy(proxy)
    await openai.close()
    await agent.close().catch(() => undefined)
  }
}
