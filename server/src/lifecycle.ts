import type { FastifyInstance } from 'fastify'
import type { Config } from './config/index.js'
import { redactUrl, type DatabaseHandle } from './db/index.js'

/**
 * The first line a person sees after `npm start`: where the dashboard is, which database is in
 * use, and what to do next when there is no account yet.
 */
export function startupLine(address: string, config: Config, accountCount: number): string {
  const database =
    config.database.kind === 'sqlite'
      ? config.database.path
      : `PostgreSQL ${redactUrl(config.database.url)}`
  const dashboard = config.staticDir
    ? `dashboard ${address}/`
    : 'dashboard not built (run npm run build)'
  const accounts =
    accountCount > 0
      ? `${accountCount} account${accountCount === 1 ? '' : 's'}`
      : 'no accounts yet: add one in the dashboard (Accounts → Add account) or with ' +
        '`npm run cli -- accounts login`'
  return `codex-lb listening on ${address} · ${dashboard} · database ${database} · ${accounts}`
}

export interface ShutdownDeps {
  app: FastifyInstance
  database: DatabaseHandle
  drainMs: number
  /** How long the server keeps serving, /health/ready at 503, before it stops accepting. */
  delayMs?: number
  exit?: (code: number) => void
}

/** Past the drain deadline, what is left (flushing logs, closing the database) gets this long. */
const AFTER_DRAIN_MS = 15_000

/**
 * SIGTERM/SIGINT: /health/ready turns 503 at once and the server goes on serving for `delayMs`
 * (so a load balancer polling it stops sending traffic first), then stops accepting, lets
 * in-flight requests finish for up to `drainMs` (then cuts them), flushes the request log, stops
 * the jobs, closes the database and exits 0. A second signal exits at once with 1.
 */
export function exitOnSignals(deps: ShutdownDeps): void {
  const { app, delayMs = 0, exit = process.exit } = deps
  let closing = false
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) {
      app.log.warn(`${signal} again (second signal): exiting now`)
      exit(1)
      return
    }
    closing = true
    app.drain.begin()
    const inFlight = app.drain.inFlight
    app.log.info(
      `${signal} received, shutting down: ` +
        (delayMs > 0 ? `not ready, still serving for ${delayMs / 1000} s; ` : '') +
        (inFlight > 0
          ? `finishing ${inFlight} request${inFlight === 1 ? '' : 's'} (up to ${deps.drainMs / 1000} s); `
          : '') +
        'send it again to exit at once',
    )
    if (delayMs > 0) setTimeout(() => closeAndExit(deps, exit), delayMs)
    else closeAndExit(deps, exit)
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
}

function closeAndExit(
  { app, database, drainMs }: ShutdownDeps,
  exit: (code: number) => void,
): void {
  const seconds = drainMs / 1000
  const deadline = setTimeout(() => {
    app.log.warn(
      { inFlight: app.drain.inFlight },
      `drain deadline (${seconds} s) passed: closing the connections still open`,
    )
    app.drain.cutConnections()
  }, drainMs)
  const backstop = setTimeout(() => {
    app.log.error('shutdown did not finish in time: exiting')
    exit(1)
  }, drainMs + AFTER_DRAIN_MS)
  deadline.unref()
  backstop.unref()
  app
    .close()
    .then(() => database.close())
    .then(
      () => {
        app.log.info('shut down cleanly')
        exit(0)
      },
      (err: unknown) => {
        app.log.error({ err }, 'shutdown failed')
        exit(1)
      },
    )
}
