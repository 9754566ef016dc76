import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'
import type { LogPageRow } from './repository.js'

/** A request-log row with everything the detail panel shows beside the list's columns. */
export interface LogDetailRow extends LogPageRow {
  http_status: number | null
  transport: 'http' | 'websocket'
  upstream_error_body: string | null
  account_alias?: string | null | undefined
  /** null when no key was used or the key was deleted since. */
  api_key_name: string | null
}

/**
 * Read side of one request's story: a row by id and every attempt sharing its request id. Only the
 * names are read from accounts, api_keys and overflow_upstreams: never a token, hash or key.
 */
export class RequestLogDetailRepository {
  constructor(private readonly db: Kysely<Database>) {}

  #rows() {
    return this.db
      .selectFrom('request_logs as l')
      .leftJoin('accounts as a', 'a.id', 'l.account_id')
      .leftJoin('overflow_upstreams as o', 'o.id', 'l.overflow_upstream_id')
      .leftJoin('api_keys as k', 'k.id', 'l.api_key_id')
      .selectAll('l')
      .select(['a.email as account_email', 'a.id as joined_account_id', 'a.alias as account_alias'])
      .select(['o.name as overflow_upstream_name', 'k.name as api_key_name'])
  }

  async byId(id: number): Promise<LogDetailRow | undefined> {
    return this.#rows().where('l.id', '=', id).executeTakeFirst()
  }

  /** Oldest first (ties by id); served by idx_logs_request_id. */
  async byRequestId(requestId: string, limit: number): Promise<LogDetailRow[]> {
    return this.#rows()
      .where('l.request_id', '=', requestId)
      .orderBy('l.requested_at')
      .orderBy('l.id')
      .limit(limit)
      .execute()
  }
}
