import type { Kysely, Transaction, Updateable } from 'kysely'
import type { ApiKeyLimitRow, ApiKeyRow, ApiKeysTable, Database } from '../../db/schema.js'
import type { LimitPlan, LimitRule, LimitRuleInput } from './limits.js'
import type { KeyPolicy } from './policy.js'

export interface ApiKeyRecord {
  id: string
  name: string
  keyPrefix: string
  allowedModels: string[] | null
  expiresAt: number | null
  isActive: boolean
  createdAt: number
  lastUsedAt: number | null
  limits: LimitRule[]
  policy: KeyPolicy
}

export interface NewApiKey {
  id: string
  name: string
  keyHash: string
  keyPrefix: string
  allowedModels: string[] | null
  expiresAt: number | null
  createdAt: number
  limits: Array<LimitRuleInput & { resetAt: number }>
  policy: KeyPolicy
}

export interface ApiKeyChanges {
  name?: string
  allowedModels?: string[] | null
  expiresAt?: number | null
  isActive?: boolean
  allowedReasoningEfforts?: readonly string[] | null
  allowedServiceTiers?: readonly string[] | null
  allowedAccountIds?: readonly string[] | null
  maxConcurrentRequests?: number | null
}

export function toLimitRule(row: ApiKeyLimitRow): LimitRule {
  return {
    id: Number(row.id),
    limitType: row.limit_type,
    limitWindow: row.limit_window,
    maxValue: Number(row.max_value),
    currentValue: Number(row.current_value),
    modelFilter: row.model_filter,
    resetAt: Number(row.reset_at),
  }
}

function parseList(text: string | null): string[] | null {
  if (text === null) return null
  try {
    const value: unknown = JSON.parse(text)
    return Array.isArray(value) ? value.filter((m): m is string => typeof m === 'string') : null
  } catch {
    return null
  }
}

function toRecord(row: ApiKeyRow, limits: LimitRule[]): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    keyPrefix: row.key_prefix,
    allowedModels: parseList(row.allowed_models),
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
    isActive: Number(row.is_active) === 1,
    createdAt: Number(row.created_at),
    lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
    limits,
    policy: {
      allowedReasoningEfforts: parseList(row.allowed_reasoning_efforts),
      allowedServiceTiers: parseList(row.allowed_service_tiers),
      allowedAccountIds: parseList(row.allowed_account_ids),
      maxConcurrentRequests:
        row.max_concurrent_requests === null ? null : Number(row.max_concurrent_requests),
    },
  }
}

const listText = (models: readonly string[] | null) =>
  models === null ? null : JSON.stringify(models)

/** The api_keys columns of a policy change; absent fields are left alone. */
function policyColumns(p: Partial<KeyPolicy>): Updateable<ApiKeysTable> {
  return {
    ...(p.allowedReasoningEfforts === undefined
      ? {}
      : { allowed_reasoning_efforts: listText(p.allowedReasoningEfforts) }),
    ...(p.allowedServiceTiers === undefined
      ? {}
      : { allowed_service_tiers: listText(p.allowedServiceTiers) }),
    ...(p.allowedAccountIds === undefined
      ? {}
      : { allowed_account_ids: listText(p.allowedAccountIds) }),
    ...(p.maxConcurrentRequests === undefined
      ? {}
      : { max_concurrent_requests: p.maxConcurrentRequests }),
  }
}

/** Keys and their limit rules. The key hash never leaves this file except as a lookup argument. */
export class ApiKeysRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(key: NewApiKey): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('api_keys')
        .values({
          id: key.id,
          name: key.name,
          key_hash: key.keyHash,
          key_prefix: key.keyPrefix,
          allowed_models: listText(key.allowedModels),
          expires_at: key.expiresAt,
          is_active: 1,
          created_at: key.createdAt,
          last_used_at: null,
          allowed_reasoning_efforts: listText(key.policy.allowedReasoningEfforts),
          allowed_service_tiers: listText(key.policy.allowedServiceTiers),
          allowed_account_ids: listText(key.policy.allowedAccountIds),
          max_concurrent_requests: key.policy.maxConcurrentRequests,
        })
        .execute()
      await applyPlan(trx, key.id, { update: [], insert: key.limits, remove: [] })
    })
  }

  async list(): Promise<ApiKeyRecord[]> {
    const keys = await this.db
      .selectFrom('api_keys')
      .selectAll()
      .orderBy('created_at', 'desc')
      .execute()
    const limits = await this.db.selectFrom('api_key_limits').selectAll().orderBy('id').execute()
    const byKey = new Map<string, LimitRule[]>()
    for (const row of limits) {
      const list = byKey.get(row.api_key_id) ?? []
      list.push(toLimitRule(row))
      byKey.set(row.api_key_id, list)
    }
    return keys.map((row) => toRecord(row, byKey.get(row.id) ?? []))
  }

  async find(id: string): Promise<ApiKeyRecord | undefined> {
    const row = await this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return row ? toRecord(row, await this.limitsOf(id)) : undefined
  }

  async findByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    const row = await this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('key_hash', '=', hash)
      .executeTakeFirst()
    return row ? toRecord(row, []) : undefined
  }

  async limitsOf(id: string): Promise<LimitRule[]> {
    const rows = await this.db
      .selectFrom('api_key_limits')
      .selectAll()
      .where('api_key_id', '=', id)
      .orderBy('id')
      .execute()
    return rows.map(toLimitRule)
  }

  /** Applies field changes and a limit plan in one transaction; false when the key does not exist. */
  async update(id: string, changes: ApiKeyChanges, plan: LimitPlan | null): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const found = await trx
        .selectFrom('api_keys')
        .select('id')
        .where('id', '=', id)
        .executeTakeFirst()
      if (!found) return false
      const set: Updateable<ApiKeysTable> = {
        ...(changes.name === undefined ? {} : { name: changes.name }),
        ...(changes.allowedModels === undefined
          ? {}
          : { allowed_models: listText(changes.allowedModels) }),
        ...(changes.expiresAt === undefined ? {} : { expires_at: changes.expiresAt }),
        ...(changes.isActive === undefined ? {} : { is_active: changes.isActive ? 1 : 0 }),
        ...policyColumns(changes),
      }
      if (Object.keys(set).length > 0) {
        await trx.updateTable('api_keys').set(set).where('id', '=', id).execute()
      }
      if (plan !== null) await applyPlan(trx, id, plan)
      return true
    })
  }

  /** Which of these account ids exist (a key's policy may only name existing accounts). */
  async existingAccountIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set()
    const rows = await this.db
      .selectFrom('accounts')
      .select('id')
      .where('id', 'in', [...ids])
      .execute()
    return new Set(rows.map((r) => r.id))
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('api_keys').where('id', '=', id).executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }

  async replaceKey(id: string, hash: string, prefix: string): Promise<boolean> {
    const result = await this.db
      .updateTable('api_keys')
      .set({ key_hash: hash, key_prefix: prefix })
      .where('id', '=', id)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }
}

async function applyPlan(trx: Transaction<Database>, keyId: string, plan: LimitPlan) {
  if (plan.remove.length > 0) {
    await trx
      .deleteFrom('api_key_limits')
      .where('api_key_id', '=', keyId)
      .where('id', 'in', plan.remove)
      .execute()
  }
  for (const change of plan.update) {
    await trx
      .updateTable('api_key_limits')
      .set({
        max_value: change.maxValue,
        ...(change.reset === null ? {} : { current_value: 0, reset_at: change.reset.resetAt }),
      })
      .where('id', '=', change.id)
      .where('api_key_id', '=', keyId)
      .execute()
  }
  if (plan.insert.length > 0) {
    await trx
      .insertInto('api_key_limits')
      .values(
        plan.insert.map((rule) => ({
          api_key_id: keyId,
          limit_type: rule.limitType,
          limit_window: rule.limitWindow,
          max_value: rule.maxValue,
          current_value: 0,
          model_filter: rule.modelFilter,
          reset_at: rule.resetAt,
        })),
      )
      .execute()
  }
}
