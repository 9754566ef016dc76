import { collectDefaultMetrics, Registry } from 'prom-client'
import { RequestMetrics } from './request-metrics.js'
import { registerStateMetrics, type MetricSources } from './state-metrics.js'

/**
 * One registry per server (tests run several in one process): process metrics from prom-client,
 * request counters fed as rows are queued, and gauges read from memory at scrape time.
 */
export class Metrics {
  readonly registry = new Registry()
  readonly requests: RequestMetrics

  constructor(sources: MetricSources) {
    collectDefaultMetrics({ register: this.registry })
    this.requests = new RequestMetrics(this.registry)
    registerStateMetrics(this.registry, sources)
  }

  get contentType(): string {
    return this.registry.contentType
  }

  scrape(): Promise<string> {
    return this.registry.metrics()
  }
}
