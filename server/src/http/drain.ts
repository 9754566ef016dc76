import type { FastifyInstance, RouteHandlerMethod } from 'fastify'

/** What shutdown needs to know about, and do to, the requests still being answered. */
export interface Drain {
  /** Route handlers still running (a relayed stream's handler runs until its log row is queued). */
  readonly inFlight: number
  /** True from `begin()` (or close()) on: readiness answers 503 so load balancers move away. */
  readonly draining: boolean
  /** Marks the server as going away while it still serves (shutdown calls it before close()). */
  begin(): void
  /** Destroys every connection, busy or not: the drain deadline has passed. */
  cutConnections(): void
}

/** How long close() waits for handlers whose connections are gone (they finish within ms). */
const HANDLER_SETTLE_MS = 5000

/**
 * Makes `app.close()` end as soon as the work in flight is done. Node closes only the connections
 * idle when close() starts: a keep-alive connection whose response finishes later would hold the
 * server open for the keep-alive timeout, so each one is closed as its response ends. Handlers are
 * counted (hijacked streams go on after their socket is gone, to queue the request-log row and
 * settle usage) and close() waits for them before the onClose hooks flush and close the rest.
 * Call before any route is registered.
 */
export function installDrain(app: FastifyInstance): Drain {
  let inFlight = 0
  let closing = false
  let begun = false
  let settled: (() => void) | undefined
  const done = () => {
    inFlight--
    if (inFlight === 0) settled?.()
  }

  app.addHook('onRoute', (route) => {
    const handler = route.handler as (...args: unknown[]) => unknown
    route.handler = function (this: FastifyInstance, ...args: unknown[]) {
      inFlight++
      let result: unknown
      try {
        result = handler.apply(this, args)
      } catch (err) {
        done()
        throw err
      }
      // Thenables include a returned reply, which resolves once the response is sent.
      if (result && typeof (result as PromiseLike<unknown>).then === 'function') {
        Promise.resolve(result as PromiseLike<unknown>).then(done, done)
      } else done()
      return result
    } as RouteHandlerMethod
  })

  app.server.on('request', (_req, res) => {
    res.once('close', () => {
      if (closing) setImmediate(() => app.server.closeIdleConnections())
    })
  })
  app.addHook('preClose', async () => {
    closing = true
  })
  // onClose hooks run last-registered first, and Fastify's own (closing the server) was added
  // at ready: this one runs once no connection is left, before the services' hook.
  app.addHook('onClose', async () => {
    if (inFlight === 0) return
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, HANDLER_SETTLE_MS)
      settled = () => {
        clearTimeout(timer)
        resolve()
      }
    })
  })

  return {
    get inFlight() {
      return inFlight
    },
    get draining() {
      return begun || closing
    },
    begin: () => {
      begun = true
    },
    cutConnections: () => app.server.closeAllConnections(),
  }
}
