import { DashboardNotFoundError } from '../../errors/index.js'
import type { LogDetailRow, RequestLogDetailRepository } from './detail-repository.js'
import type { RequestLogAttempt, RequestLogDetail } from './detail-schemas.js'
import { toRequestLogEntry } from './service.js'

/**
 * The most attempts one chain lists. A failover chain is bounded by the accounts tried (a few);
 * this only guards against a client that sends the same request id on every request.
 */
export const CHAIN_LIMIT = 100

export function toRequestLogAttempt(row: LogDetailRow): RequestLogAttempt {
  const entry = toRequestLogEntry(row)
  return {
    ...entry,
    accountAlias: entry.accountDeleted ? null : (row.account_alias ?? null),
    apiKeyName: row.api_key_name,
    httpStatus: row.http_status,
    transport: row.transport,
    upstreamErrorBody: row.upstream_error_body,
  }
}

/** One request explained: the attempt asked for, and every attempt that shares its request id. */
export class RequestLogDetailService {
  constructor(private readonly repo: RequestLogDetailRepository) {}

  async detail(id: number): Promise<RequestLogDetail> {
    const row = await this.repo.byId(id)
    if (!row) throw new DashboardNotFoundError(`Request log entry ${id} not found`)
    const rows = await this.repo.byRequestId(row.request_id, CHAIN_LIMIT)
    // Past the limit the attempt asked for may be cut off; the chain still shows it.
    const chain = rows.some((r) => Number(r.id) === Number(row.id)) ? rows : [...rows, row]
    return { attempt: toRequestLogAttempt(row), chain: chain.map(toRequestLogAttempt) }
  }
}
