import { rateLimited } from '../fake-upstream.js'
import type {
  CompactBehaviour,
  FakeAccount,
  FakeUpstream,
  ResponseBehaviour,
} from '../fake-upstream.js'
import type { Prng } from './prng.js'

/** What one upstream attempt does; drawn per attempt, so a retry meets a fresh draw. */
export const UPSTREAM_WEIGHTS = {
  ok: 70,
  'slow-first-byte': 7,
  '5xx': 5,
  '429': 3,
  'drop-mid-stream': 6,
  stall: 3,
  'first-event-failed': 2,
  'no-terminal': 2,
} as const
export type UpstreamFault = keyof typeof UPSTREAM_WEIGHTS

export const COMPACT_WEIGHTS = { ok: 84, 'slow-first-byte': 8, '5xx': 5, '429': 3 } as const
export type CompactFault = keyof typeof COMPACT_WEIGHTS

const STATUSES = [500, 502, 503] as const

function responseBehaviour(fault: UpstreamFault, rng: Prng, stallMs: number): ResponseBehaviour {
  const text = 'soak '.repeat(rng.int(1, 12)).trim()
  switch (fault) {
    case 'ok':
      return { kind: 'ok', text, eventDelayMs: rng.int(0, 2) }
    case 'slow-first-byte':
      return { kind: 'slow-first-byte', ms: rng.int(100, 600), text }
    case '5xx':
      return { kind: 'http-error', status: STATUSES[rng.int(0, 2)]! }
    case '429':
      return rateLimited(1)
    case 'drop-mid-stream':
      return { kind: 'drop-mid-stream', afterEvents: rng.int(1, 5), text }
    case 'stall':
      return { kind: 'stall', ms: stallMs, afterEvents: rng.int(1, 3), text }
    case 'first-event-failed':
      return { kind: 'first-event-failed', code: 'server_error', message: 'soak failure' }
    case 'no-terminal':
      return { kind: 'no-terminal', text }
  }
}

function compactBehaviour(fault: CompactFault, rng: Prng): CompactBehaviour {
  switch (fault) {
    case 'ok':
      return { kind: 'ok' }
    case 'slow-first-byte':
      return { kind: 'slow-first-byte', ms: rng.int(100, 600) }
    case '5xx':
      return { kind: 'http-error', status: STATUSES[rng.int(0, 2)]! }
    case '429':
      return rateLimited(1)
  }
}

/**
 * Each account's answers, drawn up front from the seed: its HTTP requests and WebSocket turns take
 * them in arrival order (the fake's per-account script), its compact calls from a second list.
 * Which request meets which fault depends on arrival order; what the fake played is counted after
 * the run from how many attempts each account received (`played`).
 */
export class UpstreamFaultPlan {
  readonly #streams = new Map<string, UpstreamFault[]>()
  readonly #compacts = new Map<string, CompactFault[]>()

  constructor(
    private readonly fake: FakeUpstream,
    private readonly accounts: FakeAccount[],
    rng: Prng,
    perAccount: number,
    stallMs: number,
  ) {
    for (const account of accounts) {
      const faults: UpstreamFault[] = []
      const behaviours: ResponseBehaviour[] = []
      for (let i = 0; i < perAccount; i++) {
        const fault = rng.pick(UPSTREAM_WEIGHTS)
        faults.push(fault)
        behaviours.push(responseBehaviour(fault, rng, stallMs))
      }
      // The script's last entry repeats once the list runs out: make that a plain answer.
      behaviours.push({ kind: 'ok' })
      fake.script(account, ...behaviours)
      const compacts: CompactFault[] = []
      const compactBehaviours: CompactBehaviour[] = []
      for (let i = 0; i < Math.ceil(perAccount / 4); i++) {
        const fault = rng.pick(COMPACT_WEIGHTS)
        compacts.push(fault)
        compactBehaviours.push(compactBehaviour(fault, rng))
      }
      compactBehaviours.push({ kind: 'ok' })
      fake.scriptCompact(account, ...compactBehaviours)
      this.#streams.set(account.email, faults)
      this.#compacts.set(account.email, compacts)
    }
  }

  /** Faults the fake actually played, by kind: each account's list up to the attempts it got. */
  played(): Record<string, number> {
    const out: Record<string, number> = {}
    const add = (kind: string) => (out[kind] = (out[kind] ?? 0) + 1)
    for (const account of this.accounts) {
      const http = this.fake
        .requestsTo('/backend-api/codex/responses', 'POST')
        .filter((r) => r.account?.email === account.email).length
      const ws = this.fake.ws.turns.filter(
        (t) => t.account.email === account.email && !t.prewarm,
      ).length
      const compact = this.fake
        .requestsTo('/backend-api/codex/responses/compact', 'POST')
        .filter((r) => r.account?.email === account.email).length
      for (const f of this.#streams.get(account.email)!.slice(0, http + ws)) add(f)
      for (const f of this.#compacts.get(account.email)!.slice(0, compact)) add(`compact ${f}`)
    }
    return out
  }
}
