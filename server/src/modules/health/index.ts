import type { FastifyBaseLogger } from 'fastify'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/index.js'
import type { Drain } from '../../http/drain.js'
import type { Clock } from '../../lib/clock.js'
import { Readiness } from './readiness.js'
import { HealthRepository } from './repository.js'

export {
  Readiness,
  type ReadinessChecks,
  type ReadinessDeps,
  type ReadinessReport,
} from './readiness.js'
export { healthRoutes, type HealthRoutesOptions } from './routes.js'

export function createReadiness(deps: {
  db: Kysely<Database>
  /** Every migration this build has (db/migrate.ts MIGRATION_NAMES). */
  expectedMigrations: readonly string[]
  drain: Drain
  clock: Clock
  log: FastifyBaseLogger
}): Readiness {
  const repository = new HealthRepository(deps.db)
  return new Readiness({
    ping: () => repository.ping(),
    appliedMigrations: () => repository.appliedMigrations(),
    expectedMigrations: deps.expectedMigrations,
    draining: () => deps.drain.draining,
    clock: deps.clock,
    log: deps.log,
  })
}
