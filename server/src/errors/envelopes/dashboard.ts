import type { AppError } from '../errors.js'

export interface DashboardErrorBody {
  error: { code: string; message: string }
}

/** The dashboard envelope used on /api/*: exactly `code` and `message`. */
export function dashboardEnvelope(err: AppError): DashboardErrorBody {
  return { error: { code: err.code, message: err.message } }
}
