import type { ApiKeyRecord } from './repository.js'

/**
 * What the audit log says about a key: its settings, never the key or its hash (the prefix is shown
 * in the dashboard anyway). Limits without their running usage, so a diff shows only real edits.
 */
export function apiKeyAuditView(record: ApiKeyRecord): Record<string, unknown> {
  return {
    name: record.name,
    allowedModels: record.allowedModels,
    expiresAt: record.expiresAt === null ? null : new Date(record.expiresAt).toISOString(),
    isActive: record.isActive,
    allowedReasoningEfforts: record.policy.allowedReasoningEfforts,
    allowedServiceTiers: record.policy.allowedServiceTiers,
    allowedAccountIds: record.policy.allowedAccountIds,
    maxConcurrentRequests: record.policy.maxConcurrentRequests,
    limits: record.limits.map((l) => ({
      limitType: l.limitType,
      limitWindow: l.limitWindow,
      maxValue: l.maxValue,
      modelFilter: l.modelFilter,
    })),
  }
}
