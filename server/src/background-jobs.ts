import type { Config } from './config/index.js'
import type { Clock } from './lib/clock.js'
import type { Job } from './lib/scheduler.js'
import type { AccountsService } from './modules/accounts/index.js'
import type { ApiKeys } from './modules/api-keys/index.js'
import type { AuditService } from './modules/audit/index.js'
import type { AccountPool } from './modules/balancer/index.js'
import { MODEL_REGISTRY_TICK_MS, type ModelRegistry } from './modules/models/index.js'
import type { UsageHistoryRetention, UsageService } from './modules/usage/index.js'

/** Longer than any proxied request lives: what is still reserved then was abandoned. */
const STALE_RESERVATION_MS = 2 * 3_600_000

/**
 * The background jobs of one server. Each runs on one replica at a time (the scheduler's runner
 * takes a PostgreSQL advisory lock per run), so replicas never poll or refresh twice.
 */
export function backgroundJobs(parts: {
  config: Config
  clock: Clock
  usage: UsageService
  models: ModelRegistry
  accounts: AccountsService
  pool: AccountPool
  usageRetention: UsageHistoryRetention
  audit: AuditService
  reservations: ApiKeys['reservations']
}): Job[] {
  const { config, clock, usage, models, accounts, pool } = parts
  return [
    ...(config.usage.refreshEnabled
      ? [
          {
            name: 'usage-refresh',
            intervalMs: config.usage.refreshIntervalMs,
            run: () => usage.refreshAll(),
          },
        ]
      : []),
    ...(config.models.registryEnabled
      ? [
          {
            // Ticks every 30 s; fetches only while nothing was fetched yet or once an interval old.
            name: 'model-registry',
            intervalMs: Math.min(MODEL_REGISTRY_TICK_MS, config.models.refreshIntervalMs),
            run: () => models.refreshIfDue(clock.now()),
          },
        ]
      : []),
    {
      name: 'token-refresh',
      intervalMs: config.tokenRefresh.jobIntervalMs,
      run: () => accounts.refreshDueAccounts(),
    },
    { name: 'sticky-prune', intervalMs: 10 * 60_000, run: () => pool.pruneExpiredPins() },
    {
      name: 'usage-history-prune',
      intervalMs: 6 * 3_600_000,
      run: () => parts.usageRetention.pruneUsageHistory(),
    },
    { name: 'audit-log-prune', intervalMs: 6 * 3_600_000, run: () => parts.audit.prune() },
    {
      name: 'reservation-sweep',
      intervalMs: 10 * 60_000,
      run: () => parts.reservations.sweepStale(STALE_RESERVATION_MS),
    },
  ]
}
