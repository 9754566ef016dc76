import type { Report, ReportSums } from '@codex-lb/shared'
import { csvLine, type CsvValue } from '../request-logs/csv.js'

/** Lines per chunk handed to the response. */
const CHUNK_LINES = 500

const SUM_COLUMNS: Array<[string, keyof ReportSums]> = [
  ['requests', 'requests'],
  ['errors', 'errors'],
  ['input_tokens', 'inputTokens'],
  ['cached_input_tokens', 'cachedInputTokens'],
  ['output_tokens', 'outputTokens'],
  ['reasoning_tokens', 'reasoningTokens'],
  ['cost_usd', 'costUsd'],
]

export const REPORT_CSV_HEADER = ['bucket_start', 'group', 'label', ...SUM_COLUMNS.map(([n]) => n)]

/**
 * The report's series as CSV (RFC 4180, formula-guarded like the request-log export): a header,
 * then one line per bucket and group, oldest first, in chunks the response writes as they come.
 */
export function* reportCsv(report: Report): Generator<string> {
  yield csvLine(REPORT_CSV_HEADER)
  const labels = new Map(report.groups.map((g) => [g.key, g.label]))
  let chunk: string[] = []
  for (const point of report.series) {
    const cells: CsvValue[] = [point.bucketStart, point.key, labels.get(point.key) ?? point.key]
    chunk.push(csvLine([...cells, ...SUM_COLUMNS.map(([, field]) => point[field])]))
    if (chunk.length === CHUNK_LINES) {
      yield chunk.join('')
      chunk = []
    }
  }
  if (chunk.length > 0) yield chunk.join('')
}
