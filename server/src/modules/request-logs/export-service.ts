import { csvLine, type CsvValue } from './csv.js'
import type { ExportCursor, ExportRow, RequestLogsExportRepository } from './export-repository.js'
import type { LogFilter } from './repository.js'
import type { RequestLogEntry } from './schemas.js'
import { toRequestLogEntry } from './service.js'

/** The most rows one export writes (stated in README and the x-export-row-limit header). */
export const EXPORT_ROW_LIMIT = 1_000_000
/** Rows read per query; each batch is written before the next is read. */
export const EXPORT_BATCH_SIZE = 1000

/** Header name and how a row fills it; `e` is the list's mapping (statuses, deleted accounts). */
const COLUMNS: Array<[string, (r: ExportRow, e: RequestLogEntry) => CsvValue]> = [
  ['requested_at', (_, e) => e.requestedAt],
  ['request_id', (r) => r.request_id],
  ['status', (_, e) => e.status],
  ['error_code', (r) => r.error_code],
  ['error_message', (r) => r.error_message],
  ['account_id', (r) => r.account_id],
  ['account_email', (_, e) => e.accountEmail],
  ['overflow_upstream', (_, e) => e.overflowUpstreamName],
  ['api_key_id', (r) => r.api_key_id],
  ['api_key_name', (r) => r.api_key_name],
  ['model', (r) => r.model],
  ['reasoning_effort', (r) => r.reasoning_effort],
  ['endpoint', (r) => r.endpoint],
  ['tokens', (_, e) => e.tokens],
  ['input_tokens', (_, e) => e.inputTokens],
  ['cached_input_tokens', (_, e) => e.cachedInputTokens],
  ['output_tokens', (_, e) => e.outputTokens],
  ['reasoning_tokens', (_, e) => e.reasoningTokens],
  ['cost_usd', (_, e) => e.costUsd],
  ['latency_ms', (_, e) => e.latencyMs],
  ['ttfb_ms', (_, e) => e.ttfbMs],
  ['client_ip', (_, e) => e.clientIp],
  ['user_agent', (_, e) => e.userAgent],
]

function csvRow(row: ExportRow): string {
  const e = toRequestLogEntry(row)
  return csvLine(COLUMNS.map(([, cell]) => cell(row, e)))
}

export const EXPORT_HEADER = COLUMNS.map(([name]) => name)

export interface ExporterOptions {
  rowLimit?: number
  batchSize?: number
}

/** Request logs as CSV text, newest first, one chunk per batch. */
export class RequestLogsExporter {
  readonly rowLimit: number
  readonly #batchSize: number

  constructor(
    private readonly repo: RequestLogsExportRepository,
    options: ExporterOptions = {},
  ) {
    this.rowLimit = options.rowLimit ?? EXPORT_ROW_LIMIT
    this.#batchSize = options.batchSize ?? EXPORT_BATCH_SIZE
  }

  /**
   * The header, then the filtered rows up to the row limit. A pull-driven generator: the next batch
   * is read only when the consumer (the HTTP response, under backpressure) asks for more, and
   * reading stops when it is abandoned (the client went away).
   */
  async *csv(filter: LogFilter): AsyncGenerator<string> {
    yield csvLine(EXPORT_HEADER)
    let written = 0
    let after: ExportCursor | null = null
    while (written < this.rowLimit) {
      const size = Math.min(this.#batchSize, this.rowLimit - written)
      const rows = await this.repo.batch(filter, after, size)
      if (rows.length === 0) return
      yield rows.map(csvRow).join('')
      written += rows.length
      const last = rows[rows.length - 1] as ExportRow
      after = { requestedAt: Number(last.requested_at), id: Number(last.id) }
      if (rows.length < size) return
    }
  }
}
