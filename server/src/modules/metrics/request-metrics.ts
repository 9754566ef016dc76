import { Counter, Histogram, type Registry } from 'prom-client'
import type { NewRequestLogRow } from '../../db/schema.js'
import { BoundedLabel } from './labels.js'

/** Seconds: from a fast local answer to a long reasoning stream. */
const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600]
const TTFB_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]
const WAIT_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60]

/**
 * What happened to requests, counted from the request-log rows as they are queued (one row per
 * upstream attempt, on every transport), plus the failovers and queue waits the rows cannot show.
 * Labels carry ids and names the dashboard shows, never a key, token, email or prompt.
 */
export class RequestMetrics {
  readonly #models = new BoundedLabel(200)
  readonly #codes = new BoundedLabel(100)
  readonly #keys = new BoundedLabel(1000)
  readonly #requests: Counter<'route' | 'model' | 'status' | 'code' | 'api_key' | 'transport'>
  readonly #latency: Histogram<'route' | 'transport'>
  readonly #ttfb: Histogram<'route' | 'transport'>
  readonly #upstreamErrors: Counter<'code' | 'http_status'>
  readonly #tokens: Counter<'type'>
  readonly #cost: Counter<'api_key'>
  readonly #failovers: Counter<'reason'>
  readonly #queueWait: Histogram

  constructor(registry: Registry) {
    const registers = [registry]
    this.#requests = new Counter({
      name: 'codex_lb_requests_total',
      help: 'Upstream attempts by route, model, outcome, HTTP status, API key id and transport',
      labelNames: ['route', 'model', 'status', 'code', 'api_key', 'transport'],
      registers,
    })
    this.#latency = new Histogram({
      name: 'codex_lb_request_duration_seconds',
      help: 'Attempt duration, from the request to the last byte',
      labelNames: ['route', 'transport'],
      buckets: LATENCY_BUCKETS,
      registers,
    })
    this.#ttfb = new Histogram({
      name: 'codex_lb_time_to_first_byte_seconds',
      help: "Time to the upstream's first byte",
      labelNames: ['route', 'transport'],
      buckets: TTFB_BUCKETS,
      registers,
    })
    this.#upstreamErrors = new Counter({
      name: 'codex_lb_upstream_errors_total',
      help: 'Failed attempts by error code and HTTP status',
      labelNames: ['code', 'http_status'],
      registers,
    })
    this.#tokens = new Counter({
      name: 'codex_lb_tokens_total',
      help: 'Tokens by type (input includes cached)',
      labelNames: ['type'],
      registers,
    })
    this.#cost = new Counter({
      name: 'codex_lb_cost_usd_total',
      help: 'Estimated cost in USD by API key id',
      labelNames: ['api_key'],
      registers,
    })
    this.#failovers = new Counter({
      name: 'codex_lb_failovers_total',
      help: 'Requests moved to another account after an attempt failed, by failure kind',
      labelNames: ['reason'],
      registers,
    })
    this.#queueWait = new Histogram({
      name: 'codex_lb_queue_wait_seconds',
      help: 'Time requests waited for a free stream slot (every wait, served or not)',
      buckets: WAIT_BUCKETS,
      registers,
    })
  }

  observeRow(row: NewRequestLogRow): void {
    const route = row.endpoint
    const transport = row.transport ?? 'http'
    const apiKey = this.#keys.of(row.api_key_id)
    const code = row.http_status ? String(row.http_status) : 'none'
    this.#requests.inc({
      route,
      model: this.#models.of(row.model),
      status: row.status,
      code,
      api_key: apiKey,
      transport,
    })
    if (row.latency_ms !== null && row.latency_ms !== undefined) {
      this.#latency.observe({ route, transport }, row.latency_ms / 1000)
    }
    if (row.ttfb_ms !== null && row.ttfb_ms !== undefined) {
      this.#ttfb.observe({ route, transport }, row.ttfb_ms / 1000)
    }
    if (row.status === 'error') {
      this.#upstreamErrors.inc({ code: this.#codes.of(row.error_code), http_status: code })
    }
    this.#addTokens('input', row.input_tokens)
    this.#addTokens('cached_input', row.cached_input_tokens)
    this.#addTokens('output', row.output_tokens)
    this.#addTokens('reasoning', row.reasoning_tokens)
    if (row.cost_usd) this.#cost.inc({ api_key: apiKey }, row.cost_usd)
  }

  failedOver(reason: string): void {
    this.#failovers.inc({ reason })
  }

  queueWaited(ms: number): void {
    this.#queueWait.observe(ms / 1000)
  }

  #addTokens(type: string, n: number | null | undefined): void {
    if (n) this.#tokens.inc({ type }, n)
  }
}
