/** The dashboard's status buckets; rows store only `success|error` plus the upstream error code. */
export const LOG_STATUSES = ['ok', 'rate_limit', 'quota', 'error'] as const
export type LogStatus = (typeof LOG_STATUSES)[number]

/** Error codes the dashboard files under `rate_limit` / `quota` (original-admin §5.3). */
export const RATE_LIMIT_CODES = ['rate_limit_exceeded', 'usage_limit_reached'] as const
export const QUOTA_CODES = ['insufficient_quota', 'usage_not_included', 'quota_exceeded'] as const

const rateLimitCodes: ReadonlySet<string> = new Set(RATE_LIMIT_CODES)
const quotaCodes: ReadonlySet<string> = new Set(QUOTA_CODES)

/** The bucket of one stored row; an error without a known code is a plain `error`. */
export function logStatus(status: string, errorCode: string | null): LogStatus {
  if (status === 'success') return 'ok'
  if (errorCode !== null && rateLimitCodes.has(errorCode)) return 'rate_limit'
  if (errorCode !== null && quotaCodes.has(errorCode)) return 'quota'
  return 'error'
}

/**
 * The `status` filter: values are OR-ed, and `all` or an empty list means no filter. The query
 * schema rejects unknown values with a 422 before they get here; this still drops them.
 */
export function statusFilter(values: readonly string[]): LogStatus[] {
  const wanted = new Set(values.map((v) => v.trim().toLowerCase()))
  if (wanted.has('all')) return []
  return LOG_STATUSES.filter((s) => wanted.has(s))
}

/** Distinct statuses in the dashboard's fixed order (ok, rate_limit, quota, error). */
export function orderStatuses(statuses: Iterable<LogStatus>): LogStatus[] {
  const present = new Set(statuses)
  return LOG_STATUSES.filter((s) => present.has(s))
}
