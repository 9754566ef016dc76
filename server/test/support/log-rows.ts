import type { Kysely } from 'kysely'
import type { AccountStatus, Database, NewRequestLogRow, NewUsageRow } from '../../src/db/schema.js'
import { insertRequestLogs } from '../../src/modules/request-logs/index.js'

/** An account row written straight to the database (the dashboard reads only id/email/plan/status). */
export async function insertAccount(
  db: Kysely<Database>,
  account: { id: string; email: string; planType?: string; status?: AccountStatus },
  now = Date.UTC(2026, 0, 1),
): Promise<void> {
  await db
    .insertInto('accounts')
    .values({
      id: account.id,
      chatgpt_account_id: null,
      email: account.email,
      plan_type: account.planType ?? 'plus',
      access_token_enc: '',
      refresh_token_enc: '',
      id_token_enc: '',
      last_refresh_at: now,
      created_at: now,
      updated_at: now,
      status: account.status ?? 'active',
    })
    .execute()
}

let seq = 0

/** A request-log row with neutral defaults; tests override what they assert on. */
export function logRow(overrides: Partial<NewRequestLogRow> & { requested_at: number }) {
  seq += 1
  return {
    account_id: null,
    api_key_id: null,
    request_id: `req-${seq}`,
    endpoint: '/v1/responses',
    model: 'gpt-5.1',
    reasoning_effort: null,
    status: 'success',
    http_status: 200,
    error_code: null,
    error_message: null,
    input_tokens: null,
    cached_input_tokens: null,
    output_tokens: null,
    reasoning_tokens: null,
    cost_usd: null,
    latency_ms: null,
    ttfb_ms: null,
    ...overrides,
  } satisfies NewRequestLogRow
}

/** Rows written the way the log writer writes them: with their hourly rollups. */
export async function insertLogs(db: Kysely<Database>, rows: NewRequestLogRow[]): Promise<void> {
  await insertRequestLogs(db, rows)
}

export async function insertUsage(db: Kysely<Database>, rows: NewUsageRow[]): Promise<void> {
  if (rows.length) await db.insertInto('usage_history').values(rows).execute()
}
