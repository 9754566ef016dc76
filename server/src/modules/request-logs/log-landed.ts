import type { Kysely } from 'kysely'
import type { Database, NewRequestLogRow } from '../../db/schema.js'

/**
 * Whether `row` is already in request_logs (by request id, start, endpoint and account: one attempt).
 * A batch is one transaction, so its first row tells whether an attempt whose answer was lost (the
 * connection dropped at COMMIT) wrote all of it.
 */
export async function rowLanded(db: Kysely<Database>, row: NewRequestLogRow): Promise<boolean> {
  let query = db
    .selectFrom('request_logs')
    .select('id')
    .where('request_id', '=', row.request_id)
    .where('requested_at', '=', row.requested_at)
    .where('endpoint', '=', row.endpoint)
  query =
    row.account_id == null
      ? query.where('account_id', 'is', null)
      : query.where('account_id', '=', row.account_id)
  return (await query.limit(1).executeTakeFirst()) !== undefined
}
