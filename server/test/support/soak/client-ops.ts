import { SseDecoder, parseJsonEvent, type SseEvent } from '../../../src/upstream/sse-decoder.js'
import { connectWs, wsUrl, type WsTestClient } from '../ws-client.js'
import type { Prng } from './prng.js'

export type OpKind = 'responses-stream' | 'responses-json' | 'chat-stream' | 'compact' | 'websocket'
export type ClientFault = 'none' | 'abort-before-headers' | 'abort-mid-stream'
/**
 * How a request ended for the client. `violation`: a guarantee broke (a stream cut without a
 * terminal or error event, an error answer outside the OpenAI envelope, a hang).
 */
export type Ending = 'completed' | 'error-event' | 'error-answer' | 'aborted' | 'violation'

export interface Outcome {
  op: OpKind
  fault: ClientFault
  ending: Ending
  status?: number
  /** The envelope's `error.code` of an error answer. */
  code?: string
  /**
   * codex-lb's own unexpected error (not an upstream's answer passed on): an HTTP 500 "Internal
   * server error", or a WebSocket upgrade refused with a 500 (upstream trouble comes in frames).
   */
  internal?: boolean
  /** When it started (epoch ms) and how long it took. */
  at: number
  ms: number
  problem?: string
}

export interface Target {
  url: string
  /** The API key this request presents. */
  key: string
  /** Longest a request may take before it counts as a hang. */
  hangMs: number
}

const MODEL = 'gpt-5.5'
const RESPONSES_TERMINAL = new Set([
  'response.completed',
  'response.failed',
  'response.incomplete',
  'error',
])
const FAILED = new Set(['response.failed', 'response.incomplete', 'error'])

function request(op: Exclude<OpKind, 'websocket'>): { path: string; body: unknown } {
  switch (op) {
    case 'responses-stream':
      return { path: '/v1/responses', body: { model: MODEL, input: 'soak', stream: true } }
    case 'responses-json':
      return { path: '/v1/responses', body: { model: MODEL, input: 'soak', stream: false } }
    case 'chat-stream': {
      const messages = [{ role: 'user', content: 'soak' }]
      return { path: '/v1/chat/completions', body: { model: MODEL, messages, stream: true } }
    }
    case 'compact':
      return { path: '/v1/responses/compact', body: { model: MODEL, input: 'soak' } }
  }
}

/** An error answer must be the OpenAI envelope: `{"error":{"message": string, code?, …}}`. */
function readEnvelope(text: string): { code?: string; internal?: boolean; problem?: string } {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown; code?: unknown } }
    const message = body.error?.message
    if (typeof message === 'string') {
      // codex-lb's own unexpected errors read so; an upstream's 500 passed on carries its message.
      const internal = message === 'Internal server error'
      return typeof body.error?.code === 'string'
        ? { code: body.error.code, internal }
        : { internal }
    }
  } catch {
    // fall through
  }
  return { problem: `error answer outside the envelope: ${text.slice(0, 200)}` }
}

/** Why a stream read to its end is not properly ended, if it is not. */
function streamProblem(op: OpKind, events: SseEvent[]): { problem?: string; failed: boolean } {
  const json = events.map((e) => parseJsonEvent(e))
  if (op === 'chat-stream') {
    const done = events.at(-1)?.data === '[DONE]'
    const failed = json.some((j) => j !== undefined && 'error' in j)
    const finished = json.some((j) => {
      const choices = j?.['choices'] as Array<{ finish_reason?: unknown }> | undefined
      return choices?.some((c) => c.finish_reason != null) ?? false
    })
    if (done && (failed || finished)) return { failed }
    return { failed, problem: `chat stream ended without [DONE] after an end (${events.length})` }
  }
  const last = json.at(-1)?.['type']
  if (typeof last === 'string' && RESPONSES_TERMINAL.has(last)) {
    return { failed: FAILED.has(last) }
  }
  return { failed: false, problem: `stream ended after ${String(last)} (${events.length} events)` }
}

/** One HTTP request with the given client fault; never throws. */
export async function httpOp(
  target: Target,
  op: Exclude<OpKind, 'websocket'>,
  fault: ClientFault,
  rng: Prng,
): Promise<Outcome> {
  const at = Date.now()
  const started = performance.now()
  const done = (ending: Ending, extra: Partial<Outcome> = {}): Outcome => ({
    op,
    fault,
    ending,
    at,
    ms: performance.now() - started,
    ...extra,
  })
  const controller = new AbortController()
  const streamed = op !== 'responses-json' && op !== 'compact'
  const timers: NodeJS.Timeout[] = []
  let hung = false
  timers.push(
    setTimeout(() => {
      hung = true
      controller.abort()
    }, target.hangMs),
  )
  if (fault === 'abort-before-headers') {
    timers.push(setTimeout(() => controller.abort(), rng.int(0, 15)))
  } else if (fault === 'abort-mid-stream' && !streamed) {
    timers.push(setTimeout(() => controller.abort(), rng.int(5, 80)))
  }
  const { path, body } = request(op)
  try {
    const res = await fetch(`${target.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${target.key}` },
      body: JSON.stringify(body),
      signal: controller.signal,
    })
    const status = res.status
    if (!res.ok) {
      const { code, internal, problem } = readEnvelope(await res.text())
      if (problem) return done('violation', { status, problem })
      return done('error-answer', {
        status,
        internal: internal === true,
        ...(code ? { code } : {}),
      })
    }
    if (!streamed) {
      const json = (await res.json()) as Record<string, unknown>
      if (!('output' in json)) {
        return done('violation', { status, problem: 'a 200 answer without output' })
      }
      return done('completed', { status })
    }
    const decoder = new SseDecoder()
    const events: SseEvent[] = []
    const reader = res.body!.getReader()
    for (;;) {
      const { done: end, value } = await reader.read()
      if (end) break
      events.push(...decoder.push(value))
      if (fault === 'abort-mid-stream') {
        controller.abort()
        return done('aborted', { status })
      }
    }
    events.push(...decoder.end())
    const { problem, failed } = streamProblem(op, events)
    if (problem) return done('violation', { status, problem })
    return done(failed ? 'error-event' : 'completed', { status })
  } catch (err) {
    if (hung) return done('violation', { problem: `no end within ${target.hangMs} ms` })
    if (controller.signal.aborted) return done('aborted')
    return done('violation', { problem: `cut: ${(err as Error).message}` })
  } finally {
    for (const t of timers) clearTimeout(t)
  }
}

const userMessage = { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'x' }] }

/** Reads one turn's frames; `violation` when the socket closes before a terminal or error frame. */
async function readTurn(
  ws: WsTestClient,
  fault: ClientFault,
  hangMs: number,
): Promise<{ ending: Ending; problem?: string }> {
  if (fault === 'abort-before-headers') {
    await ws.close()
    return { ending: 'aborted' }
  }
  for (;;) {
    let frame: Record<string, unknown>
    try {
      frame = await ws.next(hangMs)
    } catch (err) {
      return { ending: 'violation', problem: `websocket: ${(err as Error).message}` }
    }
    const type = frame['type']
    if (type === 'codex.keepalive') continue
    if (fault === 'abort-mid-stream') {
      await ws.close()
      return { ending: 'aborted' }
    }
    if (typeof type === 'string' && RESPONSES_TERMINAL.has(type)) {
      return { ending: FAILED.has(type) ? 'error-event' : 'completed' }
    }
  }
}

/**
 * A WebSocket session of `turns` turns, one at a time; a client fault closes the socket in its
 * turn (the rest are not sent). One outcome per turn sent (or one for a refused upgrade).
 */
export async function websocketOp(
  target: Target,
  turns: number,
  faults: ClientFault[],
): Promise<Outcome[]> {
  const out: Outcome[] = []
  let at = Date.now()
  let started = performance.now()
  let ws: WsTestClient
  try {
    ws = await connectWs(wsUrl(target.url), { authorization: `Bearer ${target.key}` })
  } catch (err) {
    const refused = /upgrade refused with (\d+)/.exec((err as Error).message)
    const ending: Ending = refused ? 'error-answer' : 'violation'
    const problem = refused ? undefined : `websocket connect: ${(err as Error).message}`
    const status = refused ? Number(refused[1]) : undefined
    const internal = status === 500
    const ms = performance.now() - started
    return [
      {
        op: 'websocket',
        fault: 'none',
        ending,
        at,
        ms,
        internal,
        ...(status ? { status } : {}),
        ...(problem ? { problem } : {}),
      },
    ]
  }
  try {
    for (let i = 0; i < turns; i++) {
      const fault = faults[i] ?? 'none'
      at = Date.now()
      started = performance.now()
      ws.send({ type: 'response.create', model: MODEL, input: [userMessage] })
      const { ending, problem } = await readTurn(ws, fault, target.hangMs)
      out.push({
        op: 'websocket',
        fault,
        ending,
        at,
        ms: performance.now() - started,
        ...(problem ? { problem } : {}),
      })
      if (ending === 'aborted' || ending === 'violation') break
      // A turn that ended in an error frame may also end the session: that is no cut.
      if (ws.socket.readyState !== ws.socket.OPEN) break
    }
  } finally {
    ws.socket.terminate()
  }
  return out
}
