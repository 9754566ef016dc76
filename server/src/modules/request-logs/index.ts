export { RequestLogWriter, type LogWriterOptions } from './log-writer.js'
export { costUsd, priceFor, type TokenUsage } from './pricing.js'
