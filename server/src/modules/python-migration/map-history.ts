import type { NewRequestLogRow, NewUsageRow } from '../../db/index.js'
import { emptyPlan, type MapContext, type TablePlan } from './plan.js'
import type { SourceDatabase, SourceRow } from './source.js'
import { enumValue, epochMs, flagOrNull, int, num, secondsToMs, text } from './values.js'

/** What one row of a big table turns into: a row to write, a bad value, or a row left out on purpose. */
export type RowOutcome<Row> =
  { kind: 'row'; row: Row } | { kind: 'bad'; reason: string } | { kind: 'left'; note: string }

export type ImportedUsage = Omit<NewUsageRow, 'id'>
export type ImportedLog = NewRequestLogRow
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

export const USAGE_COLUMNS = [
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
] as const

/** A usage sample; monthly and free-account (`old-*`) windows have no place here. */
export function mapUsage(row: SourceRow): RowOutcome<ImportedUsage> {
  const window = enumValue(row.window) ?? 'primary'
  if (window !== 'primary' && window !== 'secondary') {
    return { kind: 'left', note: `sample(s) of the ${window} window have no counterpart here` }
  }
  const recorded = epochMs(row.recorded_at)
  const used = num(row.used_percent)
  if (recorded === null || used === null) return { kind: 'bad', reason: 'no time or percentage' }
  return {
    kind: 'row',
    row: {
      account_id: text(row.account_id) ?? '',
      recorded_at: recorded,
      window,
      used_percent: used,
      reset_at: secondsToMs(row.reset_at),
      window_minutes: int(row.window_minutes),
      credits_has: flagOrNull(row.credits_has),
      credits_unlimited: flagOrNull(row.credits_unlimited),
      credits_balance: num(row.credits_balance),
    },
  }
}

export const LOG_COLUMNS = [
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
] as const

/**
 * A request log. `cancelled` (newer originals) is an error here, with that code; soft-deleted rows
 * (account_id already NULL) are kept: they still count towards their key's usage.
 */
export function mapLog(row: SourceRow): RowOutcome<ImportedLog> {
  const requested = epochMs(row.requested_at)
  if (requested === null) return { kind: 'bad', reason: 'no request time' }
  const status = enumValue(row.status)
  return {
    kind: 'row',
    row: {
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
    },
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
