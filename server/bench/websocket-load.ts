/**
 * Turns under concurrency, WebSocket against HTTP SSE: `c` clients each start their next turn as
 * soon as theirs ended (a socket each, kept open; or one keep-alive connection each), through the
 * proxy with the upstream WebSocket on and off, and against the fake directly. Run alone with
 * `npx tsx server/bench/websocket-load.ts` (after `npm run build`); `npm run bench` runs it too.
 */
import { pathToFileURL } from 'node:url'
import { Agent, request } from 'undici'
import {
  startFakeUpstream,
  type FakeAccount,
  type FakeUpstream,
} from '../test/support/fake-upstream.js'
import { connectWs, type WsTestClient } from '../test/support/ws-client.js'
import { importAccount, pct, startProxy, stopProxy } from './harness.js'

const TURN = { model: 'gpt-5.5', input: 'benchmark', instructions: 'x' }
const TERMINAL = new Set(['response.completed', 'response.failed', 'response.incomplete', 'error'])

export interface LoadFigures {
  /** Turns finished per second, all clients together. */
  tps: number
  /** Time to the first event of each turn (ms). */
  first: number[]
  /** Time to the last event of each turn (ms). */
  total: number[]
}

interface Endpoint {
  /** http(s) URL of the Responses endpoint. */
  url: string
  headers: Record<string, string>
}

/** Runs `turns` turns over `concurrency` loops; `turn` returns [first event, end] times in ms. */
async function closedLoop(
  turns: number,
  concurrency: number,
  open: () => Promise<() => Promise<[number, number]>>,
  close: () => Promise<void>,
): Promise<LoadFigures> {
  const loops = await Promise.all(Array.from({ length: concurrency }, open))
  const first: number[] = []
  const total: number[] = []
  let next = 0
  const started = performance.now()
  try {
    await Promise.all(
      loops.map(async (turn) => {
        while (next < turns) {
          next++
          const [f, t] = await turn()
          first.push(f)
          total.push(t)
        }
      }),
    )
  } finally {
    await close()
  }
  return { tps: turns / ((performance.now() - started) / 1000), first, total }
}

/** `concurrency` open sockets; `deflate` offers permessage-deflate, as the Codex CLI does. */
export function socketLoad(
  target: Endpoint,
  turns: number,
  concurrency: number,
  deflate: boolean,
): Promise<LoadFigures> {
  const url = target.url.replace(/^http/, 'ws')
  const frame = JSON.stringify({ type: 'response.create', ...TURN })
  const clients: WsTestClient[] = []
  return closedLoop(
    turns,
    concurrency,
    async () => {
      const client = await connectWs(url, target.headers, { perMessageDeflate: deflate })
      clients.push(client)
      return async () => {
        const start = performance.now()
        client.send(frame)
        let first = 0
        for (;;) {
          const event = await client.next(30_000)
          first ||= performance.now() - start
          if (TERMINAL.has(event['type'] as string)) {
            if (event['type'] !== 'response.completed')
              throw new Error(`turn ended ${event['type']}`)
            return [first, performance.now() - start]
          }
        }
      }
    },
    async () => {
      await Promise.all(clients.map((c) => c.close()))
    },
  )
}

/** `concurrency` keep-alive connections, one streamed POST at a time on each. */
export function sseLoad(
  target: Endpoint,
  turns: number,
  concurrency: number,
): Promise<LoadFigures> {
  const agent = new Agent({ connections: concurrency, keepAliveTimeout: 30_000 })
  const body = JSON.stringify(TURN)
  const headers = {
    ...target.headers,
    'content-type': 'application/json',
    accept: 'text/event-stream',
  }
  return closedLoop(
    turns,
    concurrency,
    async () => async () => {
      const start = performance.now()
      const res = await request(target.url, { method: 'POST', dispatcher: agent, headers, body })
      let first = 0
      let text = ''
      for await (const chunk of res.body) {
        if (first) continue
        text += (chunk as Buffer).toString('utf8')
        if (/\r?\n\r?\n/.test(text)) first = performance.now() - start
      }
      if (res.statusCode !== 200) throw new Error(`${target.url} answered ${res.statusCode}`)
      return [first, performance.now() - start]
    },
    () => agent.close(),
  )
}

export interface Lane {
  name: string
  run(turns: number, concurrency: number): Promise<LoadFigures>
}

const fmt = (n: number, digits = 2) => n.toFixed(digits).padStart(9)

/** One table per concurrency: turns/s and first-event p50/p99 for each lane. */
export async function laneRows(lanes: Lane[], levels: Array<[number, number]>): Promise<void> {
  for (const [concurrency, turns] of levels) {
    console.log(
      `\n${`turns at c=${concurrency} (${turns} each)`.padEnd(40)}  turns/s  first p50  first p99    end p50`,
    )
    for (const lane of lanes) {
      await lane.run(Math.min(turns, 200), concurrency) // warm-up
      const r = await lane.run(turns, concurrency)
      console.log(
        `${lane.name.padEnd(40)}${fmt(r.tps, 0)}${fmt(pct(r.first, 50)).padStart(11)}` +
          `${fmt(pct(r.first, 99)).padStart(11)}${fmt(pct(r.total, 50)).padStart(11)}`,
      )
    }
  }
}

/** The lanes through `proxyUrl` (upstream WebSocket on) and `offUrl` (off). */
export function proxyLanes(proxyUrl: string, offUrl: string): Lane[] {
  const auth = { authorization: 'Bearer x' }
  const at = (base: string): Endpoint => ({
    url: `${base}/backend-api/codex/responses`,
    headers: auth,
  })
  return [
    { name: 'HTTP SSE', run: (n, c) => sseLoad(at(proxyUrl), n, c) },
    { name: 'socket, upstream ws', run: (n, c) => socketLoad(at(proxyUrl), n, c, false) },
    { name: 'socket+deflate, upstream ws', run: (n, c) => socketLoad(at(proxyUrl), n, c, true) },
    { name: 'socket, upstream off (SSE)', run: (n, c) => socketLoad(at(offUrl), n, c, false) },
  ]
}

/** The same turns straight to the fake: what the load generator and the fake cost on their own. */
export function directLanes(fake: FakeUpstream, account: FakeAccount): Lane[] {
  const target: Endpoint = {
    url: `${fake.backendBaseUrl}/codex/responses`,
    headers: {
      authorization: `Bearer ${fake.tokens(account).accessToken}`,
      'chatgpt-account-id': account.chatgptAccountId,
      'openai-beta': 'responses_websockets=2026-02-06',
    },
  }
  return [
    { name: 'direct HTTP SSE', run: (n, c) => sseLoad(target, n, c) },
    { name: 'direct socket', run: (n, c) => socketLoad(target, n, c, false) },
  ]
}

export const LEVELS: Array<[number, number]> = [
  [1, 1000],
  [8, 2000],
  [50, 4000],
]

/**
 * The rows: the fake directly, then codex-lb at `proxyUrl` (upstream WebSocket on) and a second
 * codex-lb with `CODEX_LB_UPSTREAM_WEBSOCKET=off`. BENCH_LANES (names, `;`-separated) and
 * BENCH_LEVELS (concurrencies, `,`-separated) pick a subset.
 */
export async function concurrencyRows(
  fake: FakeUpstream,
  account: FakeAccount,
  proxyUrl: string,
): Promise<void> {
  const off = await startProxy(fake.backendBaseUrl, fake.authBaseUrl, {
    CODEX_LB_UPSTREAM_WEBSOCKET: 'off',
  })
  try {
    await importAccount(off.url, account)
    const only = process.env['BENCH_LANES']?.split(';')
    const lanes = [...directLanes(fake, account), ...proxyLanes(proxyUrl, off.url)].filter(
      (l) => !only || only.includes(l.name),
    )
    const picked = process.env['BENCH_LEVELS']?.split(',')
    await laneRows(
      lanes,
      LEVELS.filter(([c]) => !picked || picked.includes(String(c))),
    )
  } finally {
    await stopProxy(off)
  }
}

async function main() {
  const fake = await startFakeUpstream()
  const account = fake.addAccount({ email: 'bench@example.com' })
  const on = await startProxy(fake.backendBaseUrl, fake.authBaseUrl)
  try {
    await importAccount(on.url, account)
    await concurrencyRows(fake, account, on.url)
  } finally {
    await stopProxy(on)
    await fake.close().catch(() => undefined)
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err: unknown) => {
    console.error(err)
    process.exit(1)
  })
}
