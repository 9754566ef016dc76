import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyPluginAsync } from 'fastify'
import type { Metrics } from './metrics.js'

export interface MetricsRoutesOptions {
  metrics: Metrics
  /** When set, scrapes must send `Authorization: Bearer <token>`. */
  token: string | null
}

/** Equal-length digests, so the comparison's time says nothing about the token's length either. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest()
  const b = createHash('sha256').update(expected).digest()
  return timingSafeEqual(a, b)
}

/** `GET /metrics` in the Prometheus text format, outside the dashboard session and API keys. */
export const metricsRoutes: FastifyPluginAsync<MetricsRoutesOptions> = async (app, opts) => {
  app.get('/metrics', async (request, reply) => {
    if (opts.token !== null) {
      const header = request.headers.authorization ?? ''
      const given = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim() ?? ''
      if (!sameSecret(given, opts.token)) {
        return reply
          .code(401)
          .header('www-authenticate', 'Bearer realm="metrics"')
          .type('text/plain; charset=utf-8')
          .send('metrics require a bearer token\n')
      }
    }
    const body = await opts.metrics.scrape()
    return reply.type(opts.metrics.contentType).header('cache-control', 'no-store').send(body)
  })
}
