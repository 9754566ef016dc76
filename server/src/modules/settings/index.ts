import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'
import type { Clock } from '../../lib/clock.js'
import { SettingsRepository } from './repository.js'
import { SettingsService } from './service.js'

export {
  SETTINGS_CACHE_TTL_MS,
  SettingsService,
  type Settings,
  type SettingsUpdate,
} from './service.js'
export { settingsRoutes } from './routes.js'
export { toSettingsResponse, type SettingsResponse } from './schemas.js'

export function createSettingsService(deps: {
  db: Kysely<Database>
  clock: Clock
  defaultStickyTtlSeconds: number
}): SettingsService {
  return new SettingsService({
    repository: new SettingsRepository(deps.db),
    clock: deps.clock,
    defaultStickyTtlSeconds: deps.defaultStickyTtlSeconds,
  })
}
