import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import type { Config } from './config/index.js'
import type { TokenCipher } from './crypto/index.js'
import type { DatabaseHandle } from './db/index.js'
import type { Clock } from './lib/clock.js'
import {
  accountsRoutes,
  createAccountsService,
  type AccountsService,
} from './modules/accounts/index.js'

export interface ServiceDeps {
  config: Config
  database: DatabaseHandle
  cipher: TokenCipher
  clock: Clock
  log: FastifyBaseLogger
}

/**
 * The composition of module services; modules are wired here and nowhere else. Each module exposes
 * `createXxx(deps)` (a service object) and a Fastify plugin for its routes; this file creates the
 * services in dependency order and registers the route plugins in their scope.
 */
export interface Services {
  accounts: AccountsService
  registerDashboardRoutes(scope: FastifyInstance): Promise<void>
  registerProxyRoutes(scope: FastifyInstance, prefix: string): Promise<void>
  /** Starts background jobs (usage polling, model registry, token refresh). */
  start(): void
  close(): Promise<void>
}

export function createServices(deps: ServiceDeps): Services {
  const accounts = createAccountsService({
    db: deps.database.db,
    cipher: deps.cipher,
    config: deps.config,
    clock: deps.clock,
    log: deps.log,
  })
  return {
    accounts,
    registerDashboardRoutes: async (scope) => {
      await scope.register(accountsRoutes, { service: accounts })
    },
    registerProxyRoutes: async () => undefined,
    start: () => undefined,
    close: async () => undefined,
  }
}
