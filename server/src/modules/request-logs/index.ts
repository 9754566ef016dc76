export { RequestLogWriter, type LogWriterOptions } from './log-writer.js'
export { costUsd, priceFor, type TokenUsage } from './pricing.js'
export { RequestLogsRepository, type LogAggregate, type LogFilter } from './repository.js'
export { RequestLogsService } from './service.js'
export { RollupLogsRepository } from './rollup-repository.js'
export { insertRequestLogs, insertRequestLogsIn } from './log-insert.js'
export { rollupParts, type RollupColumn } from './rollup-source.js'
export { dailyParts, type DailyColumn } from './daily-source.js'
export { RequestLogsExportRepository } from './export-repository.js'
export { EXPORT_ROW_LIMIT, RequestLogsExporter } from './export-service.js'
export { requestLogsRoutes, type RequestLogsRoutesOptions } from './routes.js'
export { RequestLogDetailRepository } from './detail-repository.js'
export { RequestLogDetailService } from './detail-service.js'
export { requestLogDetailRoutes } from './detail-routes.js'
export {
  requestLogOptionsSchema,
  requestLogsPageSchema,
  type RequestLogEntry,
  type RequestLogOptions,
  type RequestLogsPage,
} from './schemas.js'
export { LOG_STATUSES, logStatus, type LogStatus } from './log-status.js'
