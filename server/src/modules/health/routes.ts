import type { FastifyInstance } from 'fastify'
import type { Readiness } from './readiness.js'

export interface HealthRoutesOptions {
  readiness: Readiness
}

/**
 * Unauthenticated, secret-free probes for supervisors and load balancers: `/health` (kept as it
 * was) and `/health/live` say the process answers; `/health/ready` says it should get traffic.
 */
export async function healthRoutes(app: FastifyInstance, opts: HealthRoutesOptions) {
  app.get('/health', async () => ({ status: 'ok' }))
  app.get('/health/live', async () => ({ status: 'ok' }))
  app.get('/health/ready', async (_request, reply) => {
    const { ready, checks } = await opts.readiness.check()
    return reply
      .code(ready ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({ status: ready ? 'ok' : 'not_ready', checks })
  })
}
