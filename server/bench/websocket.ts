/**
 * The WebSocket rows of `npm run bench`: a turn on an open client socket against the same turn
 * over HTTP, and what a long conversation uploads upstream with and without the upstream socket.
 */
import { Agent, request } from 'undici'
import type { FakeAccount, FakeUpstream } from '../test/support/fake-upstream.js'
import { connectWs, type WsTestClient } from '../test/support/ws-client.js'
import { importAccount, pct, row, startProxy, stopProxy } from './harness.js'

type Json = Record<string, unknown>

const TURN = { model: 'gpt-5.5', input: 'benchmark', instructions: 'x' }
const HISTORY_MESSAGES = 20
/** 20 messages of 10 KB: the ~200 KB history the follow-up turns continue. */
const MESSAGE_BYTES = 10 * 1024
export const FOLLOW_UPS = 30

function socketUrl(proxyUrl: string): string {
  return `${proxyUrl.replace(/^http/, 'ws')}/backend-api/codex/responses`
}

async function openSocket(proxyUrl: string): Promise<WsTestClient> {
  // No permessage-deflate: the byte counts below are payload bytes, as the fake counts them.
  return connectWs(socketUrl(proxyUrl), { authorization: 'Bearer x' }, { perMessageDeflate: false })
}

/** Sends one `response.create` and reads the turn; returns the time to its first frame. */
async function socketTurn(
  client: WsTestClient,
  frame: string,
): Promise<{ ms: number; last: Json }> {
  const start = performance.now()
  client.send(frame)
  const first = await client.next(10_000)
  const ms = performance.now() - start
  const rest = first.type === 'response.completed' ? [] : await client.readTurn(10_000)
  const last = rest.at(-1) ?? first
  if (last.type !== 'response.completed') {
    throw new Error(`turn ended with ${JSON.stringify(last).slice(0, 300)}`)
  }
  return { ms, last }
}

/** Time until the first whole SSE event (its blank line) of a streamed POST. */
async function httpTurn(agent: Agent, url: string, body: string): Promise<number> {
  const start = performance.now()
  const res = await request(url, {
    method: 'POST',
    dispatcher: agent,
    headers: {
      authorization: 'Bearer x',
      'content-type': 'application/json',
      accept: 'text/event-stream',
    },
    body,
  })
  let ms = 0
  let text = ''
  for await (const chunk of res.body) {
    if (ms) continue
    text += (chunk as Buffer).toString('utf8')
    if (/\r?\n\r?\n/.test(text)) ms = performance.now() - start
  }
  if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`)
  return ms
}

/**
 * Time to first event, c=1: each round sends one HTTP turn and one turn on a socket that stays
 * open, alternating so both see the same machine load. Returns the p50 difference (socket − HTTP).
 */
export async function turnLatencyRows(proxyUrl: string, turns: number): Promise<number> {
  const agent = new Agent({ connections: 1, keepAliveTimeout: 30_000 })
  const client = await openSocket(proxyUrl)
  const url = `${proxyUrl}/backend-api/codex/responses`
  const body = JSON.stringify(TURN)
  const frame = JSON.stringify({ type: 'response.create', ...TURN })
  const http: number[] = []
  const socket: number[] = []
  try {
    for (let i = 0; i < 200; i++) {
      await httpTurn(agent, url, body)
      await socketTurn(client, frame)
    }
    for (let i = 0; i < turns; i++) {
      http.push(await httpTurn(agent, url, body))
      socket.push((await socketTurn(client, frame)).ms)
    }
  } finally {
    await client.close()
    await agent.close()
  }
  console.log(`\n${`first event, c=1 (${turns} turns each)`.padEnd(34)}     HTTP   socket    added`)
  for (const p of [50, 99]) row(`turn time to first event p${p}`, pct(http, p), pct(socket, p))
  return pct(socket, 50) - pct(http, 50)
}

function filler(n: number): string {
  const words = 'the quick brown fox jumps over the lazy dog while the build keeps running '
  return words.repeat(Math.ceil(n / words.length)).slice(0, n)
}

/** Alternating user and assistant messages, ~200 KB of input in all. */
function history(): Json[] {
  return Array.from({ length: HISTORY_MESSAGES }, (_, i) =>
    i % 2 === 0
      ? { role: 'user', content: [{ type: 'input_text', text: `(${i}) ${filler(MESSAGE_BYTES)}` }] }
      : {
          type: 'message',
          role: 'assistant',
          content: [{ type: 'output_text', text: `(${i}) ${filler(MESSAGE_BYTES)}` }],
        },
  )
}

interface Conversation {
  /** Payload bytes of the client's `response.create` frames for the follow-ups. */
  clientBytes: number
  /** The first turn, which carries the whole history both ways. */
  firstTurnBytes: number
}

/** The history in one full turn, then small follow-ups anchored on the previous response. */
async function converse(proxyUrl: string): Promise<Conversation> {
  const client = await openSocket(proxyUrl)
  try {
    const first = JSON.stringify({ type: 'response.create', ...TURN, input: history() })
    let { last } = await socketTurn(client, first)
    let clientBytes = 0
    for (let i = 1; i <= FOLLOW_UPS; i++) {
      const frame = JSON.stringify({
        type: 'response.create',
        ...TURN,
        previous_response_id: (last.response as Json).id,
        input: [{ role: 'user', content: [{ type: 'input_text', text: `follow-up ${i}` }] }],
      })
      clientBytes += Buffer.byteLength(frame)
      ;({ last } = await socketTurn(client, frame))
    }
    return { clientBytes, firstTurnBytes: Buffer.byteLength(first) }
  } finally {
    await client.close()
  }
}

export interface UploadResult {
  incremental: number
  full: number
  ratio: number
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`.padStart(11)

/**
 * Upstream upload for the follow-ups of one conversation: over the upstream WebSocket (incremental,
 * counted as the fake's frame payloads) against `CODEX_LB_UPSTREAM_WEBSOCKET=off` (a full POST per
 * turn, counted as the bodies the fake received).
 */
export async function uploadRows(
  fake: FakeUpstream,
  account: FakeAccount,
  proxyUrl: string,
): Promise<UploadResult> {
  fake.reset()
  const on = await converse(proxyUrl)
  const wsTurns = fake.ws.turns.slice(1)
  const incremental = wsTurns.reduce((sum, t) => sum + t.bytes, 0)
  const incrementalTurns = wsTurns.filter((t) => t.incremental).length
  const firstOn = fake.ws.turns[0]?.bytes ?? 0
  if (wsTurns.length !== FOLLOW_UPS) throw new Error(`upstream saw ${wsTurns.length} follow-ups`)

  fake.reset()
  const proxyOff = await startProxy(fake.backendBaseUrl, fake.authBaseUrl, {
    CODEX_LB_UPSTREAM_WEBSOCKET: 'off',
  })
  let off: Conversation
  let posts
  try {
    await importAccount(proxyOff.url, account)
    off = await converse(proxyOff.url)
    posts = fake.requestsTo('/backend-api/codex/responses', 'POST')
  } finally {
    await stopProxy(proxyOff)
  }
  if (posts.length !== FOLLOW_UPS + 1 || fake.ws.turns.length > 0) {
    throw new Error(`upstream off: ${posts.length} POSTs, ${fake.ws.turns.length} socket turns`)
  }
  const full = posts.slice(1).reduce((sum, r) => sum + r.rawBody.length, 0)
  const firstOff = posts[0]?.rawBody.length ?? 0

  const ratio = incremental / full
  const title = `${FOLLOW_UPS} turns on a ${kb(on.firstTurnBytes).trim()} history`
  console.log(`\n${title.padEnd(34)}       full  incremental  ratio`)
  const percent = `${(ratio * 100).toFixed(2)}%`
  console.log(
    `${'upload codex-lb → upstream'.padEnd(34)}${kb(full)}${kb(incremental).padStart(13)}${percent.padStart(7)}`,
  )
  console.log(
    `${'upload client → codex-lb'.padEnd(34)}${kb(off.clientBytes)}${kb(on.clientBytes).padStart(13)}`,
  )
  console.log(
    `  not counted: the first turn, which sends the history (${kb(firstOff).trim()} / ${kb(firstOn).trim()} upstream);` +
      ` ${incrementalTurns}/${FOLLOW_UPS} follow-ups went upstream incremental`,
  )
  return { incremental, full, ratio }
}
