import {
  httpOp,
  websocketOp,
  type ClientFault,
  type OpKind,
  type Outcome,
  type Target,
} from './client-ops.js'
import { Prng } from './prng.js'

export const OP_WEIGHTS: Readonly<Record<OpKind, number>> = {
  'responses-stream': 35,
  'responses-json': 15,
  'chat-stream': 20,
  compact: 10,
  websocket: 20,
}
export const CLIENT_FAULT_WEIGHTS: Readonly<Record<ClientFault, number>> = {
  none: 84,
  'abort-before-headers': 8,
  'abort-mid-stream': 8,
}

const ERROR_BACKOFF_MS = 500
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export interface DriveOptions {
  requests: number
  concurrency: number
  seed: number
  /** The API keys to spread requests over (one with limits, one without). */
  keys: string[]
  url: string
  hangMs: number
  /** Called after each finished request with the number finished so far. */
  progress?: (finished: number) => Promise<void> | void
}

/**
 * `requests` requests (a WebSocket session counts one per turn) from `concurrency` workers. Each
 * request's shape and client fault come from its own PRNG, seeded by the run seed and its index,
 * so the mix repeats for a seed whatever the timing.
 */
export async function drive(opts: DriveOptions): Promise<Outcome[]> {
  const outcomes: Outcome[] = []
  let issued = 0
  let index = 0
  const worker = async () => {
    while (issued < opts.requests) {
      const rng = new Prng(opts.seed ^ Math.imul(index + 1, 0x9e3779b9))
      index += 1
      const target: Target = {
        url: opts.url,
        key: opts.keys[rng.int(0, opts.keys.length - 1)]!,
        hangMs: opts.hangMs,
      }
      const op = rng.pick(OP_WEIGHTS)
      let results: Outcome[]
      if (op === 'websocket') {
        const turns = Math.min(rng.int(1, 3), opts.requests - issued)
        issued += turns
        const faults = Array.from({ length: turns }, () => rng.pick(CLIENT_FAULT_WEIGHTS))
        results = await websocketOp(target, turns, faults)
        // Turns a session did not send (the client left, the socket closed) go back to the pool.
        issued -= turns - results.length
      } else {
        issued += 1
        results = [await httpOp(target, op, rng.pick(CLIENT_FAULT_WEIGHTS), rng)]
      }
      outcomes.push(...results)
      await opts.progress?.(outcomes.length)
      // Like the OpenAI SDKs, a client waits before it asks again after an error answer (a 5xx
      // while the database is away comes back at once: without a pause the run ends in the outage).
      if (results.some((r) => r.ending === 'error-answer')) await sleep(ERROR_BACKOFF_MS)
    }
  }
  await Promise.all(Array.from({ length: opts.concurrency }, worker))
  return outcomes
}
