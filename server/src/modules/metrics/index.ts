export { Metrics } from './metrics.js'
export { metricsRoutes, type MetricsRoutesOptions } from './routes.js'
export type { MetricSources } from './state-metrics.js'
export { observedSink } from './observed-sink.js'
