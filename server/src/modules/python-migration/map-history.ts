import type { NewRequestLogRow, NewUsageRow } from '../../db/index.js'
import { emptyPlan, type MapContext, type TablePlan } from './plan.js'
import type { SourceDatabase, SourceRow } from './source.js'
import { enumValue, epochMs, flagOrNull, int, num, secondsToMs, text } from './values.js'

/** A history row with the original's integer id (the import's watermark). */
export type WithSourceId<Row> = Row & { source_id: number }

export type ImportedUsage = WithSourceId<Omit<NewUsageRow, 'id'>>
export type ImportedLog = WithSourceId<NewRequestLogRow>
export interface ImportedPin {
  key: string
  account_id: string
  created_at: number
  updated_at: number
}

/** The original logs no endpoint: imported rows carry this one, so they can be told apart. */
export const IMPORTED_ENDPOINT = 'python-import'

async function read(source: SourceDatabase, table: string, wanted: readonly string[]) {
  if (!(await source.tables()).has(table)) return undefined
  const present = await source.columns(table)
  return source.rows(
    table,
    wanted.filter((c) => present.has(c)),
    present.has('id') ? 'id' : undefined,
  )
}

const USAGE_COLUMNS = [
  'id',
  'account_id',
  'recorded_at',
  'window',
  'used_percent',
  'reset_at',
  'window_minutes',
  'credits_has',
  'credits_unlimited',
  'credits_balance',
]

export async function planUsage(source: SourceDatabase): Promise<TablePlan<ImportedUsage>> {
  const plan = emptyPlan<ImportedUsage>('usage_history')
  const rows = (await read(source, 'usage_history', USAGE_COLUMNS)) ?? []
  plan.read = rows.length
  const otherWindows = new Map<string, number>()
  for (const row of rows) {
    const window = enumValue(row.window) ?? 'primary'
    const recorded = epochMs(row.recorded_at)
    if (window !== 'primary' && window !== 'secondary') {
      otherWindows.set(window, (otherWindows.get(window) ?? 0) + 1)
      continue
    }
    if (recorded === null || num(row.used_percent) === null) {
      plan.bad.push({ id: String(row.id), reason: 'no time or percentage' })
      continue
    }
    plan.rows.push({
      source_id: Number(row.id),
      account_id: text(row.account_id) ?? '',
      recorded_at: recorded,
      window,
      used_percent: num(row.used_percent)!,
      reset_at: secondsToMs(row.reset_at),
      window_minutes: int(row.window_minutes),
      credits_has: flagOrNull(row.credits_has),
      credits_unlimited: flagOrNull(row.credits_unlimited),
      credits_balance: num(row.credits_balance),
    })
  }
  for (const [window, count] of otherWindows) {
    plan.notes.push(`${count} sample(s) of the ${window} window have no counterpart here`)
  }
  return plan
}

const LOG_COLUMNS = [
  'id',
  'account_id',
  'api_key_id',
  'request_id',
  'requested_at',
  'model',
  'reasoning_effort',
  'status',
  'error_code',
  'error_message',
  'input_tokens',
  'cached_input_tokens',
  'output_tokens',
  'reasoning_tokens',
  'cost_usd',
  'latency_ms',
  'latency_first_token_ms',
  'transport',
  'client_ip',
  'useragent',
  'upstream_status_code',
]

export async function planLogs(source: SourceDatabase): Promise<TablePlan<ImportedLog>> {
  const plan = emptyPlan<ImportedLog>('request_logs')
  const rows = (await read(source, 'request_logs', LOG_COLUMNS)) ?? []
  plan.read = rows.length
  for (const row of rows) {
    const requested = epochMs(row.requested_at)
    if (requested === null) {
      plan.bad.push({ id: String(row.id), reason: 'no request time' })
      continue
    }
    plan.rows.push(mapLog(row, requested))
  }
  return plan
}

/** `cancelled` (newer originals) is an error here, with that code. */
function mapLog(row: SourceRow, requested: number): ImportedLog {
  const status = enumValue(row.status)
  return {
    source_id: Number(row.id),
    account_id: text(row.account_id),
    api_key_id: text(row.api_key_id),
    request_id: text(row.request_id) ?? `python-${String(row.id)}`,
    requested_at: requested,
    endpoint: IMPORTED_ENDPOINT,
    model: text(row.model) ?? '',
    reasoning_effort: text(row.reasoning_effort),
    status: status === 'success' ? 'success' : 'error',
    http_status: int(row.upstream_status_code),
    error_code: text(row.error_code) ?? (status === 'cancelled' ? 'cancelled' : null),
    error_message: text(row.error_message),
    input_tokens: int(row.input_tokens),
    cached_input_tokens: int(row.cached_input_tokens),
    output_tokens: int(row.output_tokens),
    reasoning_tokens: int(row.reasoning_tokens),
    cost_usd: num(row.cost_usd),
    latency_ms: int(row.latency_ms),
    ttfb_ms: int(row.latency_first_token_ms),
    transport: enumValue(row.transport) === 'websocket' ? 'websocket' : 'http',
    overflow_upstream_id: null,
    client_ip: text(row.client_ip),
    user_agent: text(row.useragent)?.slice(0, 512) ?? null,
    upstream_error_body: null,
  }
}

/** Pins touched within the sticky TTL; one per key (the newest, when several kinds share one). */
export async function planPins(
  source: SourceDatabase,
  ctx: MapContext,
): Promise<TablePlan<ImportedPin>> {
  const plan = emptyPlan<ImportedPin>('sticky_sessions')
  const rows =
    (await read(source, 'sticky_sessions', ['key', 'account_id', 'created_at', 'updated_at'])) ?? []
  plan.read = rows.length
  const byKey = new Map<string, ImportedPin>()
  let stale = 0
  for (const row of rows) {
    const updated = epochMs(row.updated_at) ?? 0
    if (updated < ctx.now - ctx.stickySessionTtlMs) {
      stale += 1
      continue
    }
    const key = text(row.key) ?? ''
    const pin = {
      key,
      account_id: text(row.account_id) ?? '',
      created_at: epochMs(row.created_at) ?? updated,
      updated_at: updated,
    }
    if ((byKey.get(key)?.updated_at ?? -1) < updated) byKey.set(key, pin)
  }
  plan.rows = [...byKey.values()]
  if (stale > 0) plan.notes.push(`${stale} pin(s) older than the sticky TTL are not carried over`)
  return plan
}
