import fastifyWebsocket from '@fastify/websocket'
import Fastify, { LogController, type FastifyInstance } from 'fastify'
import type { Config } from './config/index.js'
import type { TokenCipher } from './crypto/index.js'
import { MIGRATION_NAMES, type DatabaseHandle } from './db/index.js'
import { decompressBody } from './http/decompress.js'
import {
  installDashboardErrorScope,
  installOpenAiErrorScope,
  installRootErrorHandler,
} from './http/error-scopes.js'
import { installDrain, type Drain } from './http/drain.js'
import { answerClientError, answerFrameworkError } from './http/framework-errors.js'
import { installNetworkPolicy, networkPolicyFrom } from './http/network-policy.js'
import { installRequestLog, loggerOptions, resolveLogFormat } from './http/logger.js'
import { requestIdFor } from './http/request-id.js'
import { installSecurityHeaders } from './http/security-headers.js'
import { registerStaticFiles } from './http/static-files.js'
import { systemClock, type Clock } from './lib/clock.js'
import type { DevicePolling } from './modules/oauth/index.js'
import { createReadiness, healthRoutes } from './modules/health/index.js'
import { metricsRoutes } from './modules/metrics/index.js'
import { echoTurnState } from './modules/websocket/index.js'
import { createServices, type Services } from './services.js'

export interface AppDeps {
  config: Config
  database: DatabaseHandle
  cipher: TokenCipher
  clock?: Clock
  /** false silences request logs (tests); otherwise the config's level applies. */
  logger?: boolean
  /** Where log lines go instead of stdout (tests that read the logs). */
  logStream?: { write(line: string): void }
  /** Tests make OAuth device-code polls instant; see ServiceDeps. */
  oauthDevicePolling?: DevicePolling
}

/** Frames past the configured cap get a 400 error frame; only absurd ones close the socket. */
const WEBSOCKET_MAX_PAYLOAD = 128 * 1024 * 1024

declare module 'fastify' {
  interface FastifyInstance {
    services: Services
    /** In-flight work, for shutdown (main.ts). */
    drain: Drain
  }
}

/** Fastify trusts a hop count at run time but does not type it: the same rule as a function. */
function trustProxyOption(trusted: Config['trustedProxies']) {
  return typeof trusted === 'number' ? (_addr: string, hop: number) => hop < trusted : trusted
}

/** Builds the app without listening: main.ts listens, tests use inject() or listen(0). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps
  const app = Fastify({
    logger:
      deps.logger === false
        ? false
        : loggerOptions(
            config.logLevel,
            resolveLogFormat(config.logFormat, process.stdout.isTTY === true),
            deps.logStream,
          ),
    // Fastify's two info lines per request: the request-log table records every request, and
    // installRequestLog adds one debug line instead.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: requestIdFor,
    requestIdHeader: false,
    // Without it request.ip is the socket peer, so a client cannot claim another address.
    trustProxy: trustProxyOption(config.trustedProxies),
    bodyLimit: config.limits.maxBodyBytes,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // What the router (a too-long path parameter, a bad escape) or Node's parser (oversized
    // headers, a broken request) refuses answers in our envelopes too.
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
  })
  const services = createServices({ ...deps, clock: deps.clock ?? systemClock, log: app.log })
  app.decorate('services', services)
  app.addHook('onClose', async () => services.close())
  // After the services' onClose hook (hooks run last-added first), before any route.
  app.decorate('drain', installDrain(app))
  installRequestLog(app, config.logLevel)

  // Callback style: no promise per request on the proxy's hot path.
  app.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id)
    done()
  })
  // Before any hook that can refuse a request, so refusals carry the headers too.
  installSecurityHeaders(app)
  app.addHook('preParsing', decompressBody(config.limits.maxDecompressedBodyBytes))
  installNetworkPolicy(app, networkPolicyFrom(config.allowedNetworks))

  await app.register(healthRoutes, {
    readiness: createReadiness({
      db: deps.database.db,
      expectedMigrations: MIGRATION_NAMES,
      drain: app.drain,
      clock: deps.clock ?? systemClock,
      log: app.log,
    }),
  })

  if (services.metrics) {
    await app.register(metricsRoutes, { metrics: services.metrics, token: config.metrics.token })
  }

  // Upgrades go through Fastify's routing, so each route's hooks (the API-key guard) run first.
  await app.register(fastifyWebsocket, {
    options: { maxPayload: WEBSOCKET_MAX_PAYLOAD, perMessageDeflate: true },
    // Running turns finish (bounded), then sockets close with 1012 so clients reconnect.
    preClose: async () => services.websockets.drain(config.shutdownDrainMs),
  })
  echoTurnState(app.websocketServer)

  await app.register(
    async (api) => {
      installDashboardErrorScope(api)
      await services.registerDashboardRoutes(api)
    },
    { prefix: '/api' },
  )
  await app.register(
    async (codex) => {
      installOpenAiErrorScope(codex)
      await services.registerCodexUsageRoutes(codex)
    },
    { prefix: '/api/codex' },
  )
  // The rest of /backend-api (no routes of its own): unknown paths there answer in the OpenAI
  // envelope by scope, like /v1 and /backend-api/codex, never the SPA.
  await app.register(async (backend) => installOpenAiErrorScope(backend), {
    prefix: '/backend-api',
  })
  for (const prefix of ['/v1', '/backend-api/codex']) {
    await app.register(
      async (proxy) => {
        installOpenAiErrorScope(proxy)
        await services.registerProxyRoutes(proxy, prefix)
      },
      { prefix },
    )
  }
  installRootErrorHandler(app)
  await registerStaticFiles(app, config.staticDir)
  return app
}
