/**
 * Realistic request-log rows for the dashboard benchmark: a handful of accounts and API keys used
 * unevenly, a mix of models and reasoning efforts, about 3 % failures with the codes the upstream
 * really sends (some followed by the failover attempt that served them), and token counts, costs
 * and latencies in plausible ranges. Deterministic for a given seed.
 */
import type { NewRequestLogRow } from '../src/db/schema.js'
import { costUsd } from '../src/modules/request-logs/index.js'

export const SEED_ACCOUNTS = Array.from({ length: 8 }, (_, i) => ({
  id: `bench-account-${i + 1}`,
  email: `bench${i + 1}@example.com`,
}))
export const SEED_KEYS = Array.from({ length: 6 }, (_, i) => ({
  id: `bench-key-${i + 1}`,
  name: `bench key ${i + 1}`,
}))

/** [value, weight]: picked in proportion to the weight. */
type Weighted<T> = ReadonlyArray<readonly [T, number]>

const MODELS: Weighted<readonly [string, string | null]> = [
  [['gpt-5.5', 'medium'], 30],
  [['gpt-5.5', 'high'], 18],
  [['gpt-5.5', 'low'], 8],
  [['gpt-5.5', 'xhigh'], 4],
  [['gpt-5.1-codex', 'medium'], 15],
  [['gpt-5.1-codex-mini', null], 12],
  [['gpt-5.1', null], 6],
  [['gpt-5.4', 'medium'], 7],
]
/** [code, http status, message]; null code: a failure the upstream did not name. */
const FAILURES: Weighted<readonly [string | null, number, string]> = [
  [['rate_limit_exceeded', 429, 'Rate limit reached for requests'], 38],
  [['usage_limit_reached', 429, 'The usage limit has been reached'], 14],
  [['insufficient_quota', 429, 'You exceeded your current quota'], 4],
  [['server_error', 500, 'The server had an error while processing your request'], 16],
  [['upstream_unavailable', 502, 'Bad gateway'], 10],
  [['stream_incomplete', 502, 'The stream ended before response.completed'], 8],
  [['context_length_exceeded', 400, 'Your input exceeds the context window of this model'], 4],
  [[null, 503, 'Service unavailable'], 6],
]
const ENDPOINTS: Weighted<string> = [
  ['/backend-api/codex/responses', 70],
  ['/v1/responses', 18],
  ['/v1/chat/completions', 9],
  ['/backend-api/codex/responses/compact', 3],
]
const AGENTS = [
  'codex_cli_rs/0.169.0 (Ubuntu 24.04; x86_64) xterm-256color',
  'codex_cli_rs/0.168.2 (Mac OS 15.5.0; arm64) iTerm.app',
  'OpenAI/JS 6.49.0',
  'python-requests/2.32.3',
]

/** mulberry32: tiny, fast and good enough to shape synthetic data. */
export function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function picker<T>(table: Weighted<T>, rnd: () => number): () => T {
  const total = table.reduce((s, [, w]) => s + w, 0)
  return () => {
    let x = rnd() * total
    for (const [value, w] of table) if ((x -= w) < 0) return value
    return table[table.length - 1]![0]
  }
}

/** Zipf-like weights: the first items carry most of the traffic, as in real pools. */
const skewed = <T>(items: readonly T[]): Weighted<T> => items.map((v, i) => [v, 1 / (i + 1)])

export interface GeneratorOptions {
  rows: number
  /** The rows are spread evenly (with jitter) over [now - days, now). */
  days: number
  now: number
  seed?: number
}

/** Yields rows oldest first, as the proxy would have written them. */
export function* requestLogRows(o: GeneratorOptions): Generator<NewRequestLogRow> {
  const rnd = random(o.seed ?? 12)
  const account = picker(skewed(SEED_ACCOUNTS.map((a) => a.id)), rnd)
  const key = picker<string | null>([...skewed(SEED_KEYS.map((k) => k.id)), [null, 0.3]], rnd)
  // Each caller (an API key, or no key) sticks to a few model/effort choices, as a configured
  // client does; which ones differs per caller.
  const models = new Map<string | null, () => readonly [string, string | null]>(
    [...SEED_KEYS.map((k) => k.id), null].map((k, i) => [
      k,
      picker(
        MODELS.filter((_, j) => (j + i) % 3 === 0 || j === i % MODELS.length),
        rnd,
      ),
    ]),
  )
  const failure = picker(FAILURES, rnd)
  const endpoint = picker(ENDPOINTS, rnd)
  const span = o.days * 86_400_000
  const step = span / o.rows
  const start = o.now - span
  let emitted = 0
  for (let i = 0; emitted < o.rows; i++) {
    const at = Math.floor(start + i * step + rnd() * step)
    const caller = key()
    const [m, effort] = models.get(caller)!()
    const input = Math.floor(800 + rnd() ** 2 * 60_000)
    const cached = Math.floor(input * rnd() * 0.9)
    const output = Math.floor(60 + rnd() ** 3 * 4_000)
    const reasoning = effort === null ? 0 : Math.floor(output * rnd() * 0.8)
    const base = {
      account_id: account(),
      api_key_id: caller,
      request_id: `req_${at.toString(36)}${i.toString(36)}`,
      endpoint: endpoint(),
      model: m,
      reasoning_effort: effort,
      transport: rnd() < 0.25 ? ('websocket' as const) : ('http' as const),
      overflow_upstream_id: null,
      client_ip: `10.0.${Math.floor(rnd() * 4)}.${Math.floor(rnd() * 250) + 2}`,
      user_agent: AGENTS[Math.floor(rnd() * AGENTS.length)]!,
    }
    if (rnd() < 0.03) {
      const [code, http, message] = failure()
      yield {
        ...base,
        requested_at: at,
        status: 'error',
        http_status: http,
        error_code: code,
        error_message: message,
        input_tokens: null,
        cached_input_tokens: null,
        output_tokens: null,
        reasoning_tokens: null,
        cost_usd: null,
        latency_ms: Math.floor(40 + rnd() * 900),
        ttfb_ms: null,
      }
      if (++emitted >= o.rows || http !== 429) continue
      // The failover: the same request served by the next account a moment later.
      base.account_id = account()
    }
    const latency = Math.floor(400 + rnd() ** 2 * 40_000)
    yield {
      ...base,
      requested_at: at + 1,
      status: 'success',
      http_status: 200,
      error_code: null,
      error_message: null,
      input_tokens: input,
      cached_input_tokens: cached,
      output_tokens: output,
      reasoning_tokens: reasoning,
      cost_usd:
        costUsd(m, {
          inputTokens: input,
          cachedInputTokens: cached,
          outputTokens: output,
          reasoningTokens: reasoning,
        }) ?? null,
      latency_ms: latency,
      ttfb_ms: Math.floor(150 + rnd() * Math.min(latency, 3_000)),
    }
    emitted++
  }
}
