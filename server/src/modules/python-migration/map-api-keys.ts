import type { ApiKeyLimitsTable, ApiKeysTable, LimitType, LimitWindow } from '../../db/index.js'
import type { Insertable } from 'kysely'
import { emptyPlan, type MapContext, type TablePlan } from './plan.js'
import type { SourceDatabase, SourceRow } from './source.js'
import { enumValue, epochMs, flag, int, stringList, text } from './values.js'

export type ImportedKey = Insertable<ApiKeysTable>
/** A limit row without its own id (ours are generated); `source_id` keeps the original's for reports. */
export type ImportedLimit = Omit<Insertable<ApiKeyLimitsTable>, 'id'> & { source_id: string }

const KEY_COLUMNS = [
  'id',
  'name',
  'key_hash',
  'key_prefix',
  'allowed_models',
  'allowed_reasoning_efforts',
  'expires_at',
  'is_active',
  'created_at',
  'last_used_at',
] as const

const KEY_NOT_CARRIED: Record<string, string> = {
  enforced_model: 'enforced models',
  enforced_reasoning_effort: 'enforced reasoning efforts',
  enforced_service_tier: 'enforced service tiers',
  traffic_class: 'traffic classes',
  usage_sections: 'usage sections',
}

const LIMIT_COLUMNS = [
  'id',
  'api_key_id',
  'limit_type',
  'limit_window',
  'max_value',
  'current_value',
  'model_filter',
  'reset_at',
] as const

const LIMIT_TYPES: readonly LimitType[] = [
  'total_tokens',
  'input_tokens',
  'output_tokens',
  'cost_usd',
]
/** `7d` is the same seven days as `weekly`; `5h` has no counterpart here. */
const LIMIT_WINDOWS: Readonly<Record<string, LimitWindow>> = {
  daily: 'daily',
  weekly: 'weekly',
  '7d': 'weekly',
  monthly: 'monthly',
}

export interface ApiKeyPlans {
  keys: TablePlan<ImportedKey>
  limits: TablePlan<ImportedLimit>
}

export async function planApiKeys(source: SourceDatabase, ctx: MapContext): Promise<ApiKeyPlans> {
  const keys = emptyPlan<ImportedKey>('api_keys')
  const limits = emptyPlan<ImportedLimit>('api_key_limits')
  const tables = await source.tables()
  if (!tables.has('api_keys')) return { keys, limits }
  const present = await source.columns('api_keys')
  for (const [column, what] of Object.entries(KEY_NOT_CARRIED)) {
    if (present.has(column)) keys.notes.push(`${what} are not carried over`)
  }
  const keyRows = await source.rows(
    'api_keys',
    KEY_COLUMNS.filter((c) => present.has(c)),
    'id',
  )
  keys.read = keyRows.length
  for (const row of keyRows) mapKey(row, keys)
  if (tables.has('api_key_limits')) {
    const limitCols = await source.columns('api_key_limits')
    const limitRows = await source.rows(
      'api_key_limits',
      LIMIT_COLUMNS.filter((c) => limitCols.has(c)),
      'id',
    )
    limits.read = limitRows.length
    const importable = new Set(keys.rows.map((k) => k.id))
    for (const row of limitRows) mapLimit(row, importable, ctx, limits)
  }
  if (tables.has('api_key_usage_reservations')) {
    const open = (await source.rows('api_key_usage_reservations', ['status'])).filter((r) =>
      ['reserved', 'settling'].includes(String(r.status).toLowerCase()),
    ).length
    if (open > 0) {
      limits.notes.push(
        `${open} open reservation(s) are not copied: their amounts stay counted in current usage`,
      )
    }
  }
  return { keys, limits }
}

function mapKey(row: SourceRow, plan: TablePlan<ImportedKey>): void {
  const id = text(row.id) ?? '?'
  const hash = text(row.key_hash)?.trim().toLowerCase() ?? ''
  if (!/^[0-9a-f]{64}$/.test(hash)) {
    plan.bad.push({ id, reason: 'key hash is not a SHA-256 hex digest' })
    return
  }
  const models = stringList(row.allowed_models)
  const efforts = stringList(row.allowed_reasoning_efforts)
  if (models === undefined || efforts === undefined) {
    plan.bad.push({ id, reason: 'allowed models or reasoning efforts are not a JSON list' })
    return
  }
  const created = epochMs(row.created_at)
  plan.rows.push({
    id,
    name: text(row.name) ?? 'imported key',
    key_hash: hash,
    key_prefix: text(row.key_prefix) ?? '',
    allowed_models: models === null ? null : JSON.stringify(models),
    allowed_reasoning_efforts: efforts === null ? null : JSON.stringify(efforts),
    allowed_service_tiers: null,
    allowed_account_ids: null,
    max_concurrent_requests: null,
    expires_at: epochMs(row.expires_at),
    is_active: row.is_active === undefined ? 1 : flag(row.is_active),
    created_at: created ?? Date.now(),
    last_used_at: epochMs(row.last_used_at),
  })
}

function mapLimit(
  row: SourceRow,
  importable: Set<string>,
  ctx: MapContext,
  plan: TablePlan<ImportedLimit>,
): void {
  const id = text(row.id) ?? '?'
  const keyId = text(row.api_key_id) ?? ''
  if (!importable.has(keyId)) {
    plan.left.push({ id, reason: `its API key ${keyId} is not imported` })
    return
  }
  const type = enumValue(row.limit_type) as LimitType | null
  const window = LIMIT_WINDOWS[enumValue(row.limit_window) ?? '']
  if (!type || !LIMIT_TYPES.includes(type)) {
    plan.bad.push({ id, reason: `limit type ${JSON.stringify(type)} has no counterpart here` })
    return
  }
  if (!window) {
    plan.bad.push({
      id,
      reason: `limit window ${JSON.stringify(enumValue(row.limit_window))} has no counterpart here`,
    })
    return
  }
  const max = int(row.max_value)
  if (max === null || max < 0) {
    plan.bad.push({ id, reason: 'max value is not a number' })
    return
  }
  plan.rows.push({
    source_id: id,
    api_key_id: keyId,
    limit_type: type,
    limit_window: window,
    max_value: max,
    // Microdollars for cost_usd on both sides; open reservations are already included.
    current_value: Math.max(0, int(row.current_value) ?? 0),
    model_filter: text(row.model_filter),
    reset_at: epochMs(row.reset_at) ?? ctx.now,
  })
}
