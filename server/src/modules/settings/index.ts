import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'
import type { Clock } from '../../lib/clock.js'
import type { RoutingStrategy } from '../balancer/index.js'
import { SettingsRepository } from './repository.js'
import { SettingsService, type OverflowMode } from './service.js'

export {
  SETTINGS_CACHE_TTL_MS,
  SettingsService,
  OVERFLOW_MODES,
  type OverflowMode,
  type Settings,
  type SettingsUpdate,
} from './service.js'
export { settingsRoutes } from './routes.js'
export { toSettingsResponse, type SettingsResponse } from './schemas.js'

export function createSettingsService(deps: {
  db: Kysely<Database>
  clock: Clock
  defaultHeadroom?: { primaryPercent: number; secondaryPercent: number }
  defaultRoutingStrategy?: RoutingStrategy
  defaultStickyTtlSeconds: number
  defaultConcurrency?: { accountMaxStreams: number; queueWaitSeconds: number }
  defaultOverflowMode?: OverflowMode
  onChanged?: () => void
}): SettingsService {
  return new SettingsService({
    repository: new SettingsRepository(deps.db),
    clock: deps.clock,
    ...(deps.defaultHeadroom ? { defaultHeadroom: deps.defaultHeadroom } : {}),
    ...(deps.defaultRoutingStrategy ? { defaultRoutingStrategy: deps.defaultRoutingStrategy } : {}),
    defaultStickyTtlSeconds: deps.defaultStickyTtlSeconds,
    ...(deps.defaultConcurrency ? { defaultConcurrency: deps.defaultConcurrency } : {}),
    ...(deps.defaultOverflowMode ? { defaultOverflowMode: deps.defaultOverflowMode } : {}),
    ...(deps.onChanged ? { onChanged: deps.onChanged } : {}),
  })
}
