import type { NewRequestLogRow } from '../../db/schema.js'
import type { RequestMetrics } from './request-metrics.js'

interface RowSink {
  enqueue(row: NewRequestLogRow): void
}

/**
 * The request-log sink the proxy writes to, counted on the way: every attempt on every transport
 * is one row, so the counters agree with the request logs. A metrics bug never costs a row.
 */
export function observedSink(sink: RowSink, metrics: RequestMetrics): RowSink {
  return {
    enqueue(row) {
      sink.enqueue(row)
      try {
        metrics.observeRow(row)
      } catch {
        // Counting is best effort; the row is already queued.
      }
    },
  }
}
