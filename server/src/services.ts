import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import type { Config } from './config/index.js'
import type { TokenCipher } from './crypto/index.js'
import type { DatabaseHandle } from './db/index.js'
import type { Clock } from './lib/clock.js'

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
  registerDashboardRoutes(scope: FastifyInstance): Promise<void>
  registerProxyRoutes(scope: FastifyInstance, prefix: string): Promise<void>
  /** Starts background jobs (usage polling, model registry, token refresh). */
  start(): void
  close(): Promise<void>
}

export function createServices(deps: ServiceDeps): Services {
  void deps
  return {
    registerDashboardRoutes: async () => undefined,
    registerProxyRoutes: async () => undefined,
    start: () => undefined,
    close: async () => undefined,
  }
}
