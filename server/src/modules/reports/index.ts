export { ReportsRepository, type ReportFilter } from './repository.js'
export { ReportsService } from './service.js'
export { reportsRoutes, type ReportsRoutesOptions } from './routes.js'
export { REPORT_CSV_HEADER } from './report-csv.js'
